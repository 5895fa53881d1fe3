package io.mpcsystem.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

class Ed25519SignaturesTest {
    private static final SecureRandom RND = new SecureRandom();
    private static final byte[] MESSAGE = "session 7, round 2".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSignatureVerifiesForItsKeyAndBytesOnly() {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(RND);
        Ed25519PrivateKeyParameters other = new Ed25519PrivateKeyParameters(RND);
        byte[] pub = key.generatePublicKey().getEncoded();
        byte[] sig = Ed25519Signatures.sign(key, MESSAGE);

        assertThat(Ed25519Signatures.verify(pub, MESSAGE, sig)).isTrue();
        assertThat(Ed25519Signatures.verify(other.generatePublicKey().getEncoded(), MESSAGE, sig)).as("another key").isFalse();
        byte[] changed = MESSAGE.clone();
        changed[0] ^= 1;
        assertThat(Ed25519Signatures.verify(pub, changed, sig)).as("other bytes").isFalse();
        for (int i : new int[] {0, 31, 32, 63}) {
            byte[] flipped = sig.clone();
            flipped[i] ^= 0x40;
            assertThat(Ed25519Signatures.verify(pub, MESSAGE, flipped)).as("bit flipped in byte " + i).isFalse();
        }
    }

    @Test
    void malformedKeysAndSignaturesAreInvalidNotErrors() {
        Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(RND);
        byte[] pub = key.generatePublicKey().getEncoded();
        byte[] sig = Ed25519Signatures.sign(key, MESSAGE);

        assertThat(Ed25519Signatures.verify(pub, MESSAGE, Arrays.copyOf(sig, 63))).isFalse();
        assertThat(Ed25519Signatures.verify(pub, MESSAGE, new byte[0])).isFalse();
        assertThat(Ed25519Signatures.verify(pub, MESSAGE, null)).isFalse();
        assertThat(Ed25519Signatures.verify(Arrays.copyOf(pub, 31), MESSAGE, sig)).isFalse();
        assertThat(Ed25519Signatures.verify((byte[]) null, MESSAGE, sig)).isFalse();
        // 32 bytes that decode to no curve point
        byte[] notAPoint = new byte[32];
        Arrays.fill(notAPoint, (byte) 0xff);
        assertThat(Ed25519Signatures.verify(notAPoint, MESSAGE, sig)).isFalse();
    }
}
