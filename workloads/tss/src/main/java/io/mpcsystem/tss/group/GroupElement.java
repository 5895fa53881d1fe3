package io.mpcsystem.tss.group;

import java.math.BigInteger;

/** An element of a prime-order group, immutable. Equality is group equality. */
public interface GroupElement {
    GroupElement add(GroupElement other);

    GroupElement subtract(GroupElement other);

    GroupElement multiply(BigInteger scalar);

    GroupElement negate();

    boolean isIdentity();

    /** The group's canonical fixed-width encoding (compressed SEC1 for secp256k1, RFC 8032 for Ed25519). */
    byte[] encode();
}
