package io.mpcsystem.account;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

/** Independent ECDSA checks for tests: BouncyCastle's signer and SEC1 4.1.6 public key recovery. */
final class EcdsaRecovery {
    static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);

    private EcdsaRecovery() {
    }

    static boolean verifies(byte[] publicKey, byte[] hash, BigInteger r, BigInteger s) {
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(CURVE.getCurve().decodePoint(publicKey), DOMAIN));
        return verifier.verifySignature(hash, r, s);
    }

    /** The public key (compressed) that signed {@code hash} with (r, s) and recovery id {@code v}. */
    static byte[] recover(byte[] hash, BigInteger r, BigInteger s, int v) {
        BigInteger n = DOMAIN.getN();
        BigInteger x = (v & 2) != 0 ? r.add(n) : r;
        byte[] enc = new byte[33];
        enc[0] = (byte) ((v & 1) != 0 ? 3 : 2);
        byte[] xb = x.toByteArray();
        int len = Math.min(32, xb.length);
        System.arraycopy(xb, xb.length - len, enc, 33 - len, len);
        ECPoint bigR = CURVE.getCurve().decodePoint(enc);
        BigInteger e = new BigInteger(1, hash);
        BigInteger rInv = r.modInverse(n);
        return ECAlgorithms.sumOfTwoMultiplies(bigR, s.multiply(rInv).mod(n), DOMAIN.getG(), e.negate().multiply(rInv).mod(n))
                .normalize().getEncoded(true);
    }

    static byte[] publicKeyOf(BigInteger privateKey, boolean compressed) {
        return DOMAIN.getG().multiply(privateKey).normalize().getEncoded(compressed);
    }

    static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }
}
