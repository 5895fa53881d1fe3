package io.mpcsystem.tss.group;

import io.mpcsystem.tss.encoding.MalformedEncodingException;
import java.math.BigInteger;
import java.security.SecureRandom;

/** A prime-order group with its scalar field, as the protocols need it. */
public interface Group {
    String name();

    BigInteger order();

    GroupElement generator();

    GroupElement identity();

    /** {@code k·G}, using the group's fixed-base speed-ups. */
    GroupElement multiplyBase(BigInteger k);

    int scalarLength();

    int elementLength();

    /** Fixed-width encoding of a scalar in [0, order), in the group's byte order. */
    byte[] encodeScalar(BigInteger k);

    /** Decodes a scalar, rejecting non-canonical values (>= order). */
    BigInteger decodeScalar(byte[] bytes) throws MalformedEncodingException;

    /** Decodes an element, rejecting off-curve, non-canonical and small-order input, and the identity. */
    GroupElement decodeElement(byte[] bytes) throws MalformedEncodingException;

    /** A uniformly random scalar in [1, order). */
    default BigInteger randomScalar(SecureRandom random) {
        BigInteger q = order();
        BigInteger k;
        do {
            k = new BigInteger(q.bitLength() + 64, random).mod(q);
        } while (k.signum() == 0);
        return k;
    }
}
