package io.mpcsystem.tss.frost;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * FROST(secp256k1) verification straight on BouncyCastle's generic (non-custom) curve code:
 * z·G == R + c·PK with c = H2(R || PK || msg). Only the RFC's challenge hash is shared with the
 * protocol; the group arithmetic is not.
 */
final class BouncyCastleSchnorrVerifier implements IndependentVerifier {
    private static final X9ECParameters CURVE = SECNamedCurves.getByName("secp256k1");

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != 33 || signature == null || signature.length != 65) return false;
        try {
            ECPoint pk = CURVE.getCurve().decodePoint(publicKey);
            byte[] rBytes = Arrays.copyOf(signature, 33);
            if (rBytes[0] != 2 && rBytes[0] != 3) return false;
            ECPoint r = CURVE.getCurve().decodePoint(rBytes);
            BigInteger z = new BigInteger(1, Arrays.copyOfRange(signature, 33, 65));
            if (z.compareTo(CURVE.getN()) >= 0 || pk.isInfinity() || r.isInfinity()) return false;
            byte[] challengeInput = new byte[33 + 33 + message.length];
            System.arraycopy(rBytes, 0, challengeInput, 0, 33);
            System.arraycopy(publicKey, 0, challengeInput, 33, 33);
            System.arraycopy(message, 0, challengeInput, 66, message.length);
            BigInteger c = FrostCiphersuite.SECP256K1.h2(challengeInput);
            ECPoint lhs = CURVE.getG().multiply(z).normalize();
            ECPoint rhs = r.add(pk.multiply(c)).normalize();
            return lhs.equals(rhs);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
