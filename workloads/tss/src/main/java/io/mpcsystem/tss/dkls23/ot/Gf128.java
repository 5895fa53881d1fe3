package io.mpcsystem.tss.dkls23.ot;

/**
 * Arithmetic in GF(2^128) = GF(2)[x] / (x^128 + x^7 + x^2 + x + 1), for the KOS consistency
 * check. An element is two longs: {@code lo} holds the coefficients of x^0..x^63, {@code hi}
 * those of x^64..x^127.
 */
final class Gf128 {
    private Gf128() {
    }

    /** Carry-less 64×64→128 product as {hi, lo}. */
    static long[] clmul(long a, long b) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 64; i++) {
            // branch-free: mask is all ones when bit i of b is set
            long mask = -((b >>> i) & 1L);
            lo ^= (a << i) & mask;
            if (i > 0) hi ^= (a >>> (64 - i)) & mask;
        }
        return new long[] {hi, lo};
    }

    /**
     * Accumulates the unreduced 256-bit product a·b into {@code acc} = {w3, w2, w1, w0}; the
     * reduction is linear, so callers reduce once after summing many products.
     */
    static void mulAccumulate(long aHi, long aLo, long bHi, long bLo, long[] acc) {
        long[] ll = clmul(aLo, bLo);
        long[] hh = clmul(aHi, bHi);
        long[] mid = clmul(aLo ^ aHi, bLo ^ bHi);
        long m1 = mid[0] ^ ll[0] ^ hh[0];
        long m0 = mid[1] ^ ll[1] ^ hh[1];
        acc[3] ^= hh[0];
        acc[2] ^= hh[1] ^ m1;
        acc[1] ^= ll[0] ^ m0;
        acc[0] ^= ll[1];
    }

    /** Reduces a 256-bit value {w3, w2, w1, w0} to {hi, lo}. */
    static long[] reduce(long[] w) {
        long w3 = w[3];
        long w2 = w[2];
        long w1 = w[1];
        long w0 = w[0];
        // x^128 ≡ x^7 + x^2 + x + 1: fold the top 128 bits down twice
        long[] f3 = fold(w3);
        w2 ^= f3[0];
        w1 ^= f3[1];
        long[] f2 = fold(w2);
        w1 ^= f2[0];
        w0 ^= f2[1];
        return new long[] {w1, w0};
    }

    /** v·x^128 mod p, for a 64-bit v at position 128: returns {carry into next word, low word}. */
    private static long[] fold(long v) {
        long lo = v ^ (v << 1) ^ (v << 2) ^ (v << 7);
        long hi = (v >>> 63) ^ (v >>> 62) ^ (v >>> 57);
        return new long[] {hi, lo};
    }

    static long[] multiply(long aHi, long aLo, long bHi, long bLo) {
        long[] acc = new long[4];
        mulAccumulate(aHi, aLo, bHi, bLo, acc);
        return reduce(acc);
    }
}
