package io.mpcsystem.tss.dkls23.mult;

import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.group.Secp256k1;
import java.math.BigInteger;

/**
 * The multiplication sender's message: the correlation corrections τ_k (one per OT, four
 * scalars each), a hash of the check vector r, and the check value u = a + θ∘â.
 */
public record SenderMessage(BigInteger[][] corrections, byte[] checkHash, BigInteger[] checkValues) {
    private static final Secp256k1 G = Secp256k1.INSTANCE;

    public void writeTo(CanonicalWriter w) {
        for (BigInteger[] t : corrections) for (BigInteger s : t) w.fixed(G.encodeScalar(s), 32);
        w.fixed(checkHash, 32);
        for (BigInteger s : checkValues) w.fixed(G.encodeScalar(s), 32);
    }

    public static SenderMessage readFrom(CanonicalReader r) {
        BigInteger[][] tau = new BigInteger[Gadget.XI][Pads.WIDTH];
        for (int k = 0; k < Gadget.XI; k++) {
            for (int m = 0; m < Pads.WIDTH; m++) tau[k][m] = G.decodeScalar(r.fixed(32, "multiplication correction"));
        }
        byte[] h = r.fixed(32, "multiplication check hash");
        BigInteger[] u = new BigInteger[2];
        for (int m = 0; m < 2; m++) u[m] = G.decodeScalar(r.fixed(32, "multiplication check value"));
        return new SenderMessage(tau, h, u);
    }

    /** Bytes of τ as hashed into the check challenge θ. */
    byte[] correctionBytes() {
        byte[] out = new byte[Gadget.XI * Pads.WIDTH * 32];
        int off = 0;
        for (BigInteger[] t : corrections) {
            for (BigInteger s : t) {
                System.arraycopy(G.encodeScalar(s), 0, out, off, 32);
                off += 32;
            }
        }
        return out;
    }
}
