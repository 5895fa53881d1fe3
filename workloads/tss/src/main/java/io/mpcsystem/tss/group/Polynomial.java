package io.mpcsystem.tss.group;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A secret polynomial over a group's scalar field, as dealt in Shamir / Feldman sharing.
 * Holds secrets: never printed; {@link #wipe()} drops the coefficients.
 */
public final class Polynomial {
    private final Group group;
    private BigInteger[] coefficients;

    private Polynomial(Group group, BigInteger[] coefficients) {
        this.group = group;
        this.coefficients = coefficients;
    }

    /** A random polynomial of degree {@code degree} with the given constant term. */
    public static Polynomial random(Group group, BigInteger constant, int degree, SecureRandom random) {
        BigInteger[] c = new BigInteger[degree + 1];
        c[0] = constant.mod(group.order());
        for (int i = 1; i <= degree; i++) c[i] = group.randomScalar(random);
        return new Polynomial(group, c);
    }

    /** A polynomial with given coefficients (lowest degree first); used for test vectors. */
    public static Polynomial of(Group group, List<BigInteger> coefficients) {
        return new Polynomial(group, coefficients.toArray(BigInteger[]::new));
    }

    public int degree() {
        return coefficients.length - 1;
    }

    public BigInteger constant() {
        return coefficients[0];
    }

    /** f(x) by Horner's rule. */
    public BigInteger evaluate(int x) {
        BigInteger q = group.order();
        BigInteger bx = BigInteger.valueOf(x);
        BigInteger acc = BigInteger.ZERO;
        for (int i = coefficients.length - 1; i >= 0; i--) acc = acc.multiply(bx).add(coefficients[i]).mod(q);
        return acc;
    }

    /** Feldman commitments C_k = a_k·G. */
    public List<GroupElement> commitments() {
        List<GroupElement> out = new ArrayList<>(coefficients.length);
        for (BigInteger c : coefficients) out.add(group.multiplyBase(c));
        return out;
    }

    public void wipe() {
        java.util.Arrays.fill(coefficients, BigInteger.ZERO);
        coefficients = new BigInteger[] {BigInteger.ZERO};
    }

    @Override
    public String toString() {
        return "Polynomial[degree=" + degree() + ", coefficients redacted]";
    }
}
