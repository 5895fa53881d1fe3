package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.group.Secp256k1;
import java.math.BigInteger;

/**
 * A signer's contribution to the last step of DKLs23 signing: its additive shares u_i of r·φ and
 * w_i of (H(m) + r_x·sk)·φ. They are broadcast in the clear (in an online run) or reported to the
 * coordinator (after a presignature): alone, or summed, they reveal nothing but the signature.
 * Encoded as type 0x0124; the signer's index travels beside it, as the sender of a message does.
 */
public record Dkls23SignatureShare(int index, BigInteger u, BigInteger w) {
    static final int TAG = 0x0124;
    private static final Secp256k1 G = Secp256k1.INSTANCE;

    public byte[] encode() {
        return CanonicalWriter.of(TAG).fixed(G.encodeScalar(u), 32).fixed(G.encodeScalar(w), 32).toByteArray();
    }

    public static Dkls23SignatureShare decode(int index, byte[] b) {
        CanonicalReader r = CanonicalReader.of(b, TAG, "signature share");
        Dkls23SignatureShare s = new Dkls23SignatureShare(index, G.decodeScalar(r.fixed(32, "u")), G.decodeScalar(r.fixed(32, "w")));
        r.finish("signature share");
        return s;
    }
}
