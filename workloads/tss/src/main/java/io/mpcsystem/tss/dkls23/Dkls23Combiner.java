package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.encoding.MalformedEncodingException;
import io.mpcsystem.tss.group.Secp256k1;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import java.math.BigInteger;
import java.util.Collection;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * The last step of DKLs23 signing, which needs no secret: s = Σw_i / Σu_i, made low-s, with its
 * recovery id, and checked against the public key before anybody sees it. Run by every signer in
 * an online run and by the coordinator after presignatures.
 */
public final class Dkls23Combiner {
    private static final Secp256k1 G = Secp256k1.INSTANCE;
    private static final BigInteger Q = G.order();
    private static final BigInteger HALF_Q = Q.shiftRight(1);

    private Dkls23Combiner() {
    }

    /**
     * @param publicKey   the key's compressed public key
     * @param instanceKey R, compressed, as every signer's presignature holds it
     * @param signers     the signer set the shares must come from, one share each
     * @throws ProtocolAbort when the shares do not make a valid signature (this step carries no
     *                       proof, so a wrong share cannot be traced to its signer here)
     */
    public static Signature combine(byte[] publicKey, byte[] instanceKey, byte[] messageHash, Set<Integer> signers,
                                    Collection<Dkls23SignatureShare> shares) {
        if (messageHash.length != 32) throw new IllegalArgumentException("DKLs23 signs a 32-byte hash, got " + messageHash.length + " bytes");
        Set<Integer> from = new TreeSet<>();
        for (Dkls23SignatureShare s : shares) {
            if (!signers.contains(s.index())) throw ProtocolAbort.unattributed("a signature share from " + s.index() + ", who is not a signer");
            if (!from.add(s.index())) throw ProtocolAbort.unattributed("two signature shares from signer " + s.index());
        }
        if (!from.equals(signers)) throw ProtocolAbort.unattributed("signature shares from " + from + ", expected " + new TreeSet<>(signers));
        Secp256k1.Point bigR;
        try {
            bigR = G.decodeElement(instanceKey);
        } catch (MalformedEncodingException e) {
            throw ProtocolAbort.unattributed("the instance key is not a secp256k1 point");
        }
        BigInteger u = BigInteger.ZERO;
        BigInteger w = BigInteger.ZERO;
        for (Dkls23SignatureShare s : shares) {
            u = u.add(s.u());
            w = w.add(s.w());
        }
        u = u.mod(Q);
        w = w.mod(Q);
        if (u.signum() == 0) throw ProtocolAbort.unattributed("sum of u shares is zero");
        BigInteger r = bigR.affineX().mod(Q);
        BigInteger s = w.multiply(u.modInverse(Q)).mod(Q);
        int recovery = (bigR.hasOddY() ? 1 : 0) | (bigR.affineX().compareTo(Q) >= 0 ? 2 : 0);
        if (s.compareTo(HALF_Q) > 0) {
            s = Q.subtract(s);
            recovery ^= 1;
        }
        byte[] sig = new byte[64];
        System.arraycopy(G.encodeScalar(r), 0, sig, 0, 32);
        System.arraycopy(G.encodeScalar(s), 0, sig, 32, 32);
        Signature signature = new Signature(sig, OptionalInt.of(recovery));
        if (s.signum() == 0 || !EcdsaVerifier.verify(publicKey, messageHash, signature)) {
            throw ProtocolAbort.unattributed("the combined signature does not verify: a signer sent a wrong signature share");
        }
        return signature;
    }
}
