package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.group.Secp256k1;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/** Standard ECDSA verification on secp256k1 with BouncyCastle's own signer, independent of the protocol code. */
public final class EcdsaVerifier {
    private EcdsaVerifier() {
    }

    /** Verifies r||s over a 32-byte hash, and rejects high-s signatures (the form we never produce). */
    public static boolean verify(byte[] compressedPublicKey, byte[] hash, Signature signature) {
        byte[] sig = signature.bytes();
        if (sig.length != 64 || hash.length != 32) return false;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, 32, 64));
        if (s.compareTo(Secp256k1.DOMAIN.getN().shiftRight(1)) > 0) return false;
        try {
            ECPublicKeyParameters pub = new ECPublicKeyParameters(Secp256k1.DOMAIN.getCurve().decodePoint(compressedPublicKey), Secp256k1.DOMAIN);
            ECDSASigner signer = new ECDSASigner();
            signer.init(false, pub);
            return signer.verifySignature(hash, r, s);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
