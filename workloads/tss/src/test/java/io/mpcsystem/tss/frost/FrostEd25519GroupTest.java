package io.mpcsystem.tss.frost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcsystem.tss.encoding.MalformedEncodingException;
import io.mpcsystem.tss.group.Ed25519;
import io.mpcsystem.tss.group.GroupElement;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The edwards25519 group FROST(Ed25519) runs on. */
class FrostEd25519GroupTest {
    static final Ed25519 G = Ed25519.INSTANCE;

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    @Test
    void baseMultiplicationMatchesRfc8032PublicKeys() throws Exception {
        // RFC 8032 section 7.1, tests 1 and 2: secret key -> public key
        String[][] vectors = {
                {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"},
                {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"},
        };
        for (String[] v : vectors) {
            byte[] h = MessageDigest.getInstance("SHA-512").digest(hex(v[0]));
            byte[] a = Arrays.copyOf(h, 32);
            a[0] &= (byte) 0xF8;
            a[31] &= 0x7F;
            a[31] |= 0x40;
            byte[] be = new byte[32];
            for (int i = 0; i < 32; i++) be[i] = a[31 - i];
            BigInteger scalar = new BigInteger(1, be);
            assertThat(G.multiplyBase(scalar).encode()).isEqualTo(hex(v[1]));
            assertThat(G.generator().multiply(scalar).encode()).isEqualTo(hex(v[1]));
            assertThat(G.decodeElement(hex(v[1])).encode()).isEqualTo(hex(v[1]));
        }
    }

    @Test
    void groupLaws() {
        Random rnd = new Random(1);
        for (int i = 0; i < 20; i++) {
            BigInteger a = new BigInteger(300, rnd);
            BigInteger b = new BigInteger(300, rnd);
            GroupElement pa = G.multiplyBase(a);
            GroupElement pb = G.generator().multiply(b);
            assertThat(pa.add(pb)).isEqualTo(G.multiplyBase(a.add(b)));
            assertThat(pa.subtract(pb)).isEqualTo(G.multiplyBase(a.subtract(b)));
            assertThat(pa.add(pa.negate()).isIdentity()).isTrue();
            assertThat(pa.multiply(b)).isEqualTo(pb.multiply(a));
            assertThat(G.decodeElement(pa.encode())).isEqualTo(pa);
            assertThat(pa.hashCode()).isEqualTo(G.decodeElement(pa.encode()).hashCode());
        }
        assertThat(G.multiplyBase(G.order()).isIdentity()).isTrue();
        assertThat(G.generator().encode()).isEqualTo(hex("5866666666666666666666666666666666666666666666666666666666666666"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // the identity (0, 1)
            "0100000000000000000000000000000000000000000000000000000000000000",
            // x = 0 with the sign bit set
            "0100000000000000000000000000000000000000000000000000000000000080",
            // y = p, non-canonical
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            // y = p + 1
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            // (0, -1), order 2
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            // an order-8 point
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
            // an order-4 point (y = 0)
            "0000000000000000000000000000000000000000000000000000000000000000",
            // too short
            "58666666666666666666666666666666666666666666666666666666666666",
    })
    void rejectsInvalidElements(String encoding) {
        assertThatThrownBy(() -> G.decodeElement(hex(encoding))).isInstanceOf(MalformedEncodingException.class);
    }

    @Test
    void rejectsPointsOffTheCurve() {
        int rejected = 0;
        for (int y = 2; y < 40; y++) {
            byte[] enc = new byte[32];
            enc[0] = (byte) y;
            try {
                G.decodeElement(enc);
            } catch (MalformedEncodingException e) {
                rejected++;
            }
        }
        assertThat(rejected).isGreaterThan(10);
    }

    @Test
    void scalarsAreLittleEndianAndReduced() {
        BigInteger l = G.order();
        byte[] lBytes = G.encodeScalar(l.subtract(BigInteger.ONE));
        assertThat(G.decodeScalar(lBytes)).isEqualTo(l.subtract(BigInteger.ONE));
        assertThat(G.encodeScalar(BigInteger.ONE)[0]).isEqualTo((byte) 1);
        lBytes[0]++;
        assertThatThrownBy(() -> G.decodeScalar(lBytes)).isInstanceOf(MalformedEncodingException.class);
        assertThatThrownBy(() -> G.decodeScalar(new byte[31])).isInstanceOf(MalformedEncodingException.class);
        assertThatThrownBy(() -> G.encodeScalar(l)).isInstanceOf(IllegalArgumentException.class);
    }
}
