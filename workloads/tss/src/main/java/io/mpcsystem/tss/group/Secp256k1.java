package io.mpcsystem.tss.group;

import io.mpcsystem.tss.encoding.MalformedEncodingException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/** secp256k1 on BouncyCastle's constant-structure custom curve; big-endian scalars, compressed SEC1 points. */
public final class Secp256k1 implements Group {
    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    public static final ECDomainParameters DOMAIN = new ECDomainParameters(PARAMS);
    private static final FixedPointCombMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();
    // declared after PARAMS: static initialisers run in order and the constructor reads PARAMS
    public static final Secp256k1 INSTANCE = new Secp256k1();

    private final Point generator = new Point(PARAMS.getG().normalize());
    private final Point identity = new Point(PARAMS.getCurve().getInfinity());

    private Secp256k1() {
    }

    public ECCurve curve() {
        return PARAMS.getCurve();
    }

    @Override
    public String name() {
        return "secp256k1";
    }

    @Override
    public BigInteger order() {
        return PARAMS.getN();
    }

    @Override
    public GroupElement generator() {
        return generator;
    }

    @Override
    public GroupElement identity() {
        return identity;
    }

    @Override
    public Point multiplyBase(BigInteger k) {
        return new Point(BASE_MULTIPLIER.multiply(PARAMS.getG(), k.mod(order())));
    }

    @Override
    public int scalarLength() {
        return 32;
    }

    @Override
    public int elementLength() {
        return 33;
    }

    @Override
    public byte[] encodeScalar(BigInteger k) {
        if (k.signum() < 0 || k.compareTo(order()) >= 0) throw new IllegalArgumentException("scalar out of range");
        byte[] raw = k.toByteArray();
        byte[] out = new byte[32];
        int copy = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
        return out;
    }

    @Override
    public BigInteger decodeScalar(byte[] bytes) {
        if (bytes.length != 32) throw new MalformedEncodingException("secp256k1 scalar must be 32 bytes");
        BigInteger k = new BigInteger(1, bytes);
        if (k.compareTo(order()) >= 0) throw new MalformedEncodingException("secp256k1 scalar not reduced");
        return k;
    }

    @Override
    public Point decodeElement(byte[] bytes) {
        if (bytes.length != 33 || (bytes[0] != 2 && bytes[0] != 3)) {
            throw new MalformedEncodingException("secp256k1 point must be 33 bytes, compressed SEC1");
        }
        ECPoint p;
        try {
            p = curve().decodePoint(bytes);
        } catch (IllegalArgumentException e) {
            throw new MalformedEncodingException("secp256k1 point is not on the curve");
        }
        if (p.isInfinity()) throw new MalformedEncodingException("secp256k1 point is the identity");
        return new Point(p.normalize());
    }

    /** Wraps a BouncyCastle point that is on this curve. */
    public Point wrap(ECPoint p) {
        return new Point(p);
    }

    /** A secp256k1 point. */
    public static final class Point implements GroupElement {
        private final ECPoint p;

        Point(ECPoint p) {
            this.p = p.normalize();
        }

        public ECPoint ecPoint() {
            return p;
        }

        @Override
        public Point add(GroupElement other) {
            return new Point(p.add(((Point) other).p));
        }

        @Override
        public Point subtract(GroupElement other) {
            return new Point(p.subtract(((Point) other).p));
        }

        @Override
        public Point multiply(BigInteger scalar) {
            return new Point(p.multiply(scalar.mod(INSTANCE.order())));
        }

        @Override
        public Point negate() {
            return new Point(p.negate());
        }

        @Override
        public boolean isIdentity() {
            return p.isInfinity();
        }

        /** x-coordinate as an integer (ECDSA's r before reduction). */
        public BigInteger affineX() {
            return p.getAffineXCoord().toBigInteger();
        }

        public boolean hasOddY() {
            return p.getAffineYCoord().testBitZero();
        }

        @Override
        public byte[] encode() {
            if (p.isInfinity()) throw new IllegalStateException("the identity has no compressed encoding");
            return p.getEncoded(true);
        }

        /** 65-byte uncompressed encoding (Ethereum addresses hash the last 64 bytes). */
        public byte[] encodeUncompressed() {
            return p.getEncoded(false);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Point q && p.equals(q.p);
        }

        @Override
        public int hashCode() {
            return p.isInfinity() ? 0 : Arrays.hashCode(p.getEncoded(true));
        }

        @Override
        public String toString() {
            return p.isInfinity() ? "secp256k1(identity)" : "secp256k1(" + org.bouncycastle.util.encoders.Hex.toHexString(encode()) + ")";
        }
    }
}
