package io.mpcsystem.tss.frost;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9380 hash_to_field with expand_message_xmd(SHA-256), count 1, L = 48: the secp256k1
 * ciphersuite's H1, H2 and H3. 48 bytes reduced mod a 256-bit order keep the bias below 2^-128.
 */
final class Rfc9380HashToField {
    private static final int FIELD_BYTES = 48;
    private static final int SHA256_BYTES = 32;
    private static final int SHA256_BLOCK = 64;

    private Rfc9380HashToField() {
    }

    static BigInteger hashToScalar(byte[] message, byte[] dst, BigInteger order) {
        return new BigInteger(1, expandMessageXmd(message, dst, FIELD_BYTES)).mod(order);
    }

    static byte[] expandMessageXmd(byte[] message, byte[] dst, int lenInBytes) {
        if (dst.length > 255) throw new IllegalArgumentException("DST longer than 255 bytes");
        int ell = (lenInBytes + SHA256_BYTES - 1) / SHA256_BYTES;
        if (ell > 255 || lenInBytes > 65535) throw new IllegalArgumentException("output too long");
        MessageDigest sha = sha256();
        sha.update(new byte[SHA256_BLOCK]);
        sha.update(message);
        sha.update(new byte[] {(byte) (lenInBytes >>> 8), (byte) lenInBytes, 0});
        sha.update(dst);
        sha.update((byte) dst.length);
        byte[] b0 = sha.digest();

        byte[] out = new byte[lenInBytes];
        byte[] previous = new byte[SHA256_BYTES];
        for (int i = 1; i <= ell; i++) {
            byte[] chained = new byte[SHA256_BYTES];
            for (int k = 0; k < SHA256_BYTES; k++) chained[k] = (byte) (b0[k] ^ previous[k]);
            sha.update(i == 1 ? b0 : chained);
            sha.update((byte) i);
            sha.update(dst);
            sha.update((byte) dst.length);
            previous = sha.digest();
            System.arraycopy(previous, 0, out, (i - 1) * SHA256_BYTES, Math.min(SHA256_BYTES, lenInBytes - (i - 1) * SHA256_BYTES));
        }
        return out;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
