package io.mpcsystem.tss.group;

import java.math.BigInteger;
import java.util.List;

/** Feldman verifiable secret sharing: public evaluation of a committed polynomial. */
public final class Feldman {
    private Feldman() {
    }

    /** Σ_k C_k · x^k: the public image f(x)·G of the committed polynomial. */
    public static GroupElement evaluate(Group group, List<? extends GroupElement> commitments, int x) {
        BigInteger q = group.order();
        BigInteger bx = BigInteger.valueOf(x);
        GroupElement acc = group.identity();
        for (int k = commitments.size() - 1; k >= 0; k--) {
            acc = acc.multiply(bx).add(commitments.get(k));
        }
        return acc;
    }

    /** Does {@code share}·G equal the committed polynomial at x? */
    public static boolean verifyShare(Group group, List<? extends GroupElement> commitments, int x, BigInteger share) {
        return group.multiplyBase(share).equals(evaluate(group, commitments, x));
    }

    /** Adds the commitment vectors of several dealers, coefficient by coefficient. */
    public static List<GroupElement> sum(Group group, List<? extends List<? extends GroupElement>> vectors) {
        int len = vectors.get(0).size();
        GroupElement[] acc = new GroupElement[len];
        java.util.Arrays.fill(acc, group.identity());
        for (List<? extends GroupElement> v : vectors) {
            if (v.size() != len) throw new IllegalArgumentException("commitment vectors differ in length");
            for (int k = 0; k < len; k++) acc[k] = acc[k].add(v.get(k));
        }
        return List.of(acc);
    }
}
