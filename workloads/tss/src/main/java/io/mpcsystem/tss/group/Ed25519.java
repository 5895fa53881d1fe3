package io.mpcsystem.tss.group;

import io.mpcsystem.tss.encoding.MalformedEncodingException;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * The prime-order subgroup of edwards25519 (RFC 8032), in extended twisted Edwards coordinates
 * over BigInteger. BouncyCastle exposes no Ed25519 point API, hence our own arithmetic. Scalars
 * and points use RFC 8032's little-endian encodings.
 *
 * <p>BigInteger arithmetic is not constant time; like the secp256k1 wrapper's callers, the
 * protocols assume the host is not shared with an attacker who can measure timing.
 */
public final class Ed25519 implements Group {
    static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
    static final BigInteger L = BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger D = BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
    private static final BigInteger D2 = D.shiftLeft(1).mod(P);
    private static final BigInteger SQRT_M1 = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
    private static final BigInteger SQRT_EXP = P.add(BigInteger.valueOf(3)).shiftRight(3);
    private static final byte[] BASE_ENCODING = hexToBytes("5866666666666666666666666666666666666666666666666666666666666666");
    // after the constants: the constructor builds the base table from them
    public static final Ed25519 INSTANCE = new Ed25519();

    private static final int WINDOWS = 64;
    private final Point identity = new Point(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO);
    private final Point base;
    /** baseTable[w][j] = j·16^w·B: fixed-base multiplication becomes 64 additions. */
    private final Point[][] baseTable;

    private Ed25519() {
        base = decodeUnchecked(BASE_ENCODING);
        baseTable = new Point[WINDOWS][16];
        Point windowBase = base;
        for (int w = 0; w < WINDOWS; w++) {
            baseTable[w][0] = identity;
            for (int j = 1; j < 16; j++) baseTable[w][j] = baseTable[w][j - 1].add(windowBase);
            windowBase = baseTable[w][15].add(windowBase);
        }
    }

    @Override
    public String name() {
        return "ed25519";
    }

    @Override
    public BigInteger order() {
        return L;
    }

    @Override
    public Point generator() {
        return base;
    }

    @Override
    public Point identity() {
        return identity;
    }

    @Override
    public Point multiplyBase(BigInteger k) {
        BigInteger s = k.mod(L);
        Point acc = identity;
        for (int w = 0; w < WINDOWS; w++) {
            int nibble = 0;
            for (int b = 3; b >= 0; b--) nibble = (nibble << 1) | (s.testBit(4 * w + b) ? 1 : 0);
            acc = acc.add(baseTable[w][nibble]);
        }
        return acc;
    }

    @Override
    public int scalarLength() {
        return 32;
    }

    @Override
    public int elementLength() {
        return 32;
    }

    @Override
    public byte[] encodeScalar(BigInteger k) {
        if (k.signum() < 0 || k.compareTo(L) >= 0) throw new IllegalArgumentException("scalar out of range");
        return toLittleEndian(k);
    }

    @Override
    public BigInteger decodeScalar(byte[] bytes) {
        if (bytes.length != 32) throw new MalformedEncodingException("ed25519 scalar must be 32 bytes");
        BigInteger k = fromLittleEndian(bytes);
        if (k.compareTo(L) >= 0) throw new MalformedEncodingException("ed25519 scalar not reduced");
        return k;
    }

    /** RFC 9591 DeserializeElement: RFC 8032 decoding, then no identity and no small-order component. */
    @Override
    public Point decodeElement(byte[] bytes) {
        Point p = decodeUnchecked(bytes);
        if (p.isIdentity()) throw new MalformedEncodingException("ed25519 point is the identity");
        if (!p.multiplyUnreduced(L).isIdentity()) throw new MalformedEncodingException("ed25519 point is not in the prime-order subgroup");
        return p;
    }

    private Point decodeUnchecked(byte[] bytes) {
        if (bytes == null || bytes.length != 32) throw new MalformedEncodingException("ed25519 point must be 32 bytes");
        byte[] le = bytes.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7F;
        BigInteger y = fromLittleEndian(le);
        if (y.compareTo(P) >= 0) throw new MalformedEncodingException("ed25519 point has non-canonical y");
        BigInteger y2 = y.multiply(y).mod(P);
        BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
        BigInteger v = D.multiply(y2).add(BigInteger.ONE).mod(P);
        BigInteger x2 = u.multiply(v.modInverse(P)).mod(P);
        BigInteger x = x2.modPow(SQRT_EXP, P);
        if (!x.multiply(x).mod(P).equals(x2)) x = x.multiply(SQRT_M1).mod(P);
        if (!x.multiply(x).mod(P).equals(x2)) throw new MalformedEncodingException("ed25519 point is not on the curve");
        if (x.signum() == 0 && xOdd) throw new MalformedEncodingException("ed25519 point has non-canonical sign bit");
        if (x.testBit(0) != xOdd) x = P.subtract(x);
        return new Point(x, y, BigInteger.ONE, x.multiply(y).mod(P));
    }

    static byte[] toLittleEndian(BigInteger k) {
        byte[] be = k.toByteArray();
        byte[] out = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) out[i] = be[be.length - 1 - i];
        return out;
    }

    static BigInteger fromLittleEndian(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        return new BigInteger(1, be);
    }

    private static byte[] hexToBytes(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }

    /** A point of edwards25519 in extended coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z. */
    public static final class Point implements GroupElement {
        private final BigInteger x;
        private final BigInteger y;
        private final BigInteger z;
        private final BigInteger t;

        Point(BigInteger x, BigInteger y, BigInteger z, BigInteger t) {
            this.x = x;
            this.y = y;
            this.z = z;
            this.t = t;
        }

        // RFC 8032 section 5.1.4: complete for a = -1, so it also doubles and adds the identity
        @Override
        public Point add(GroupElement other) {
            Point o = (Point) other;
            BigInteger a = y.subtract(x).multiply(o.y.subtract(o.x)).mod(P);
            BigInteger b = y.add(x).multiply(o.y.add(o.x)).mod(P);
            BigInteger c = t.multiply(D2).mod(P).multiply(o.t).mod(P);
            BigInteger d = z.shiftLeft(1).multiply(o.z).mod(P);
            BigInteger e = b.subtract(a);
            BigInteger f = d.subtract(c);
            BigInteger g = d.add(c);
            BigInteger h = b.add(a);
            return new Point(e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P));
        }

        Point twice() {
            BigInteger a = x.multiply(x).mod(P);
            BigInteger b = y.multiply(y).mod(P);
            BigInteger c = z.multiply(z).shiftLeft(1).mod(P);
            BigInteger h = a.add(b);
            BigInteger xy = x.add(y);
            BigInteger e = h.subtract(xy.multiply(xy)).mod(P);
            BigInteger g = a.subtract(b);
            BigInteger f = c.add(g);
            return new Point(e.multiply(f).mod(P), g.multiply(h).mod(P), f.multiply(g).mod(P), e.multiply(h).mod(P));
        }

        @Override
        public Point subtract(GroupElement other) {
            return add(other.negate());
        }

        @Override
        public Point negate() {
            return new Point(x.signum() == 0 ? x : P.subtract(x), y, z, t.signum() == 0 ? t : P.subtract(t));
        }

        @Override
        public Point multiply(BigInteger scalar) {
            return multiplyUnreduced(scalar.mod(L));
        }

        /** Window-4 double-and-add on a non-negative scalar, not reduced mod L (the subgroup check needs L itself). */
        Point multiplyUnreduced(BigInteger k) {
            Point[] small = new Point[16];
            small[0] = INSTANCE.identity;
            for (int j = 1; j < 16; j++) small[j] = small[j - 1].add(this);
            Point acc = INSTANCE.identity;
            int windows = (k.bitLength() + 3) / 4;
            for (int w = windows - 1; w >= 0; w--) {
                acc = acc.twice().twice().twice().twice();
                int nibble = 0;
                for (int b = 3; b >= 0; b--) nibble = (nibble << 1) | (k.testBit(4 * w + b) ? 1 : 0);
                acc = acc.add(small[nibble]);
            }
            return acc;
        }

        @Override
        public boolean isIdentity() {
            return x.signum() == 0 && y.equals(z);
        }

        @Override
        public byte[] encode() {
            BigInteger zInv = z.modInverse(P);
            BigInteger ax = x.multiply(zInv).mod(P);
            BigInteger ay = y.multiply(zInv).mod(P);
            byte[] out = toLittleEndian(ay);
            if (ax.testBit(0)) out[31] |= (byte) 0x80;
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Point q
                    && x.multiply(q.z).subtract(q.x.multiply(z)).mod(P).signum() == 0
                    && y.multiply(q.z).subtract(q.y.multiply(z)).mod(P).signum() == 0;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(encode());
        }

        @Override
        public String toString() {
            return "ed25519(" + java.util.HexFormat.of().formatHex(encode()) + ")";
        }
    }
}
