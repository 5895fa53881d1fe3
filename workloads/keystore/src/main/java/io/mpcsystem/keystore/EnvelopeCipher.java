package io.mpcsystem.keystore;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM envelope encryption: a fresh random data key and nonces per share, the data key
 * wrapped under the party's current KEK. Both encryptions carry associated data naming the key
 * id and the party (and for the wrap the KEK version), so a sealed share moved to another key id
 * or another party, or relabelled with another version, fails to open.
 */
public final class EnvelopeCipher {
    private static final int TAG_BITS = 128;

    private final SecureRandom random;

    public EnvelopeCipher(SecureRandom random) {
        this.random = random;
    }

    public SealedShare seal(String keyId, String partyId, byte[] plaintext, KeyEncryptionKey kek) {
        byte[] dataKey = new byte[32];
        random.nextBytes(dataKey);
        try {
            byte[] nonce = nonce();
            byte[] wrapNonce = nonce();
            // build the header first: the associated data comes from it
            SealedShare header = new SealedShare(keyId, partyId, kek.version(), wrapNonce, new byte[SealedShare.WRAPPED_KEY_BYTES], nonce, new byte[16]);
            byte[] ct = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), nonce, header.payloadAssociatedData(), plaintext);
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, kek.secretKey(), wrapNonce, header.wrapAssociatedData(), dataKey);
            return new SealedShare(keyId, partyId, kek.version(), wrapNonce, wrapped, nonce, ct);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /**
     * Decrypts a share.
     *
     * @throws UnreadableShareException when no key of the ring opens it
     * @throws CorruptShareException when the share itself fails authentication
     */
    public byte[] open(SealedShare sealed, KeyRing ring) {
        byte[] dataKey = unwrap(sealed, ring);
        try {
            return gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"), sealed.nonce(), sealed.payloadAssociatedData(), sealed.ciphertext());
        } catch (AuthenticationFailed e) {
            throw new CorruptShareException("key share " + sealed.keyId() + " of party " + sealed.partyId() + " failed authentication (tampered or corrupted)");
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** Re-wraps the data key under the ring's current KEK; the encrypted share is unchanged. */
    public SealedShare rewrap(SealedShare sealed, KeyRing ring) {
        KeyEncryptionKey current = ring.current();
        if (sealed.kekVersion() == current.version()) return sealed;
        byte[] dataKey = unwrap(sealed, ring);
        try {
            byte[] wrapNonce = nonce();
            SealedShare header = sealed.withWrap(current.version(), wrapNonce, new byte[SealedShare.WRAPPED_KEY_BYTES]);
            byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, current.secretKey(), wrapNonce, header.wrapAssociatedData(), dataKey);
            return sealed.withWrap(current.version(), wrapNonce, wrapped);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** Checks that the ring opens this share's data key, without decrypting the share. */
    public void checkReadable(SealedShare sealed, KeyRing ring) {
        Arrays.fill(unwrap(sealed, ring), (byte) 0);
    }

    private byte[] unwrap(SealedShare sealed, KeyRing ring) {
        KeyEncryptionKey kek = ring.version(sealed.kekVersion()).orElseThrow(() -> new UnreadableShareException(
                "key share " + sealed.keyId() + " of party " + sealed.partyId() + " is wrapped under key-encryption key version "
                        + sealed.kekVersion() + ", which this party was not given"));
        try {
            return gcm(Cipher.DECRYPT_MODE, kek.secretKey(), sealed.wrapNonce(), sealed.wrapAssociatedData(), sealed.wrappedDataKey());
        } catch (AuthenticationFailed e) {
            throw new UnreadableShareException("key share " + sealed.keyId() + " of party " + sealed.partyId()
                    + " cannot be unwrapped with key-encryption key version " + sealed.kekVersion() + " (wrong key, or a share of another party)");
        }
    }

    private byte[] nonce() {
        byte[] n = new byte[SealedShare.NONCE_BYTES];
        random.nextBytes(n);
        return n;
    }

    private static byte[] gcm(int mode, javax.crypto.SecretKey key, byte[] nonce, byte[] aad, byte[] input) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            return c.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new AuthenticationFailed();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable: " + e.getClass().getSimpleName());
        }
    }

    private static final class AuthenticationFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AuthenticationFailed() {
            super(null, null, false, false);
        }
    }
}
