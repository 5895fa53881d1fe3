package io.mpcsystem.tss.group;

import java.math.BigInteger;
import java.util.Collection;

/** Lagrange interpolation at zero over a scalar field. */
public final class Lagrange {
    private Lagrange() {
    }

    /** λ_i = Π_{j ≠ i} j / (j − i) mod q, for the signer set {@code set} (which contains i). */
    public static BigInteger atZero(BigInteger q, int i, Collection<Integer> set) {
        if (!set.contains(i)) throw new IllegalArgumentException("party " + i + " is not in the set");
        BigInteger num = BigInteger.ONE;
        BigInteger den = BigInteger.ONE;
        for (int j : set) {
            if (j == i) continue;
            num = num.multiply(BigInteger.valueOf(j)).mod(q);
            den = den.multiply(BigInteger.valueOf(j - i)).mod(q);
        }
        return num.multiply(den.modInverse(q)).mod(q);
    }
}
