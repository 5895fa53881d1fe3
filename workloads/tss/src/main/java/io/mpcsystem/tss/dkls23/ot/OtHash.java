package io.mpcsystem.tss.dkls23.ot;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The domain-separated SHA-256 calls of the OT layer. Each use has its own one-byte tag and all
 * inputs have fixed widths, so no two uses can collide.
 */
final class OtHash {
    static final byte TAG_BASE_KEY = 1;
    static final byte TAG_BASE_HASH = 2;
    static final byte TAG_BASE_HASH2 = 3;
    static final byte TAG_PRG = 4;
    static final byte TAG_EXT_SESSION = 5;
    static final byte TAG_KOS_CHALLENGE = 6;

    private OtHash() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    static byte[] hash(byte tag, byte[]... parts) {
        MessageDigest md = sha256();
        md.update(tag);
        for (byte[] p : parts) {
            md.update(intBytes(p.length));
            md.update(p);
        }
        return md.digest();
    }

    static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** Expands a 32-byte seed into {@code length} pseudo-random bytes for one extension column. */
    static byte[] prg(byte[] seed, byte[] extensionSession, int column, int length) {
        byte[] out = new byte[length];
        MessageDigest md = sha256();
        byte[] col = intBytes(column);
        int off = 0;
        for (int counter = 0; off < length; counter++) {
            md.update(TAG_PRG);
            md.update(seed);
            md.update(extensionSession);
            md.update(col);
            md.update(intBytes(counter));
            byte[] block = md.digest();
            int n = Math.min(block.length, length - off);
            System.arraycopy(block, 0, out, off, n);
            off += n;
        }
        return out;
    }

    static void xorInto(byte[] target, byte[] other) {
        for (int i = 0; i < target.length; i++) target[i] ^= other[i];
    }
}
