package io.mpcsystem.party;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A set of session ids kept as 64-bit fingerprints (the first 8 bytes of SHA-256) in one
 * open-addressing table of longs: 11 to 21 bytes per id instead of the ~121 of a String in a
 * HashSet. Two ids sharing a fingerprint (about one pair in 3·10⁶ among 10 million) make the
 * second look seen: that session is refused, which costs one retry, never a repeated run.
 */
final class FingerprintSet {
    private static final int MIN_CAPACITY = 16;
    private long[] table = new long[MIN_CAPACITY];
    private int size;

    static long fingerprint(String id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            long f = 0;
            for (int i = 0; i < 8; i++) f = (f << 8) | (h[i] & 0xff);
            // 0 marks an empty slot
            return f == 0 ? 1 : f;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds the fingerprint; false if it was there. */
    boolean add(long f) {
        if ((size + 1) * 4L > table.length * 3L) grow();
        int slot = slot(table, f);
        if (table[slot] == f) return false;
        table[slot] = f;
        size++;
        return true;
    }

    boolean contains(long f) {
        return table[slot(table, f)] == f;
    }

    int size() {
        return size;
    }

    /** Bytes held by the table (what the set costs beyond its object header). */
    long tableBytes() {
        return table.length * 8L;
    }

    private static int slot(long[] t, long f) {
        int mask = t.length - 1;
        int i = (int) (f ^ (f >>> 32)) & mask;
        while (t[i] != 0 && t[i] != f) i = (i + 1) & mask;
        return i;
    }

    private void grow() {
        long[] bigger = new long[table.length * 2];
        for (long f : table) if (f != 0) bigger[slot(bigger, f)] = f;
        table = bigger;
    }
}
