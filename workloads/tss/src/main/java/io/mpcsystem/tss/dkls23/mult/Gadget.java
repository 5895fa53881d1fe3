package io.mpcsystem.tss.dkls23.mult;

import io.mpcsystem.tss.group.Secp256k1;
import io.mpcsystem.tss.hash.Transcript;
import java.math.BigInteger;

/**
 * The public gadget vector g of the random vector OLE: the receiver's random input is
 * χ = Σ g_k·x_k over its OT choice bits x. The first 256 entries are powers of two, the other
 * 2·80 are fixed pseudo-random scalars; those extra bits keep χ uniform even if a cheating
 * sender learns a few choice bits through selective failure (DKLs19, section 5).
 */
final class Gadget {
    static final int BITS = 256;
    static final int STATISTICAL = 80;
    /** ξ: OTs per multiplication. */
    static final int XI = BITS + 2 * STATISTICAL;

    private static final BigInteger[] G = build();

    private Gadget() {
    }

    static BigInteger get(int k) {
        return G[k];
    }

    private static BigInteger[] build() {
        BigInteger q = Secp256k1.INSTANCE.order();
        BigInteger[] g = new BigInteger[XI];
        for (int k = 0; k < BITS; k++) g[k] = BigInteger.ONE.shiftLeft(k).mod(q);
        for (int k = BITS; k < XI; k++) g[k] = Transcript.of("mpc-system/dkls23/v1/gadget").append("k", k).challenge(q);
        return g;
    }
}
