package io.mpcsystem.tss.dkls23.mult;

import io.mpcsystem.tss.dkls23.ot.ExtensionReceiverSeeds;
import io.mpcsystem.tss.dkls23.ot.KosExtension;
import io.mpcsystem.tss.group.Secp256k1;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The receiver ("Bob") of DKLs23's random vector OLE: its input χ is random, chosen through its
 * OT choice bits, and known from the first message on; its output d satisfies c_m + d_m = χ·a_m.
 */
public final class MultiplicationReceiver {
    private static final BigInteger Q = Secp256k1.INSTANCE.order();
    /** OTs per multiplication: the size of an extension request. */
    public static final int OTS = Gadget.XI;

    private final int peer;
    private KosExtension.ReceiverResult ot;
    private BigInteger chi;

    private MultiplicationReceiver(int peer, KosExtension.ReceiverResult ot) {
        this.peer = peer;
        this.ot = ot;
        BigInteger acc = BigInteger.ZERO;
        for (int k = 0; k < Gadget.XI; k++) if (ot.choices()[k]) acc = acc.add(Gadget.get(k));
        this.chi = acc.mod(Q);
    }

    /** Starts a multiplication with {@code peer} as sender; the request goes to the peer. */
    public static MultiplicationReceiver start(ExtensionReceiverSeeds seeds, byte[] context, SecureRandom random, int peer) {
        return new MultiplicationReceiver(peer, KosExtension.receive(seeds, context, Gadget.XI, random));
    }

    public KosExtension.Request request() {
        return ot.request();
    }

    /** The receiver's random input χ. Secret. */
    public BigInteger chi() {
        return chi;
    }

    /**
     * Checks the sender's message and returns d_0, d_1.
     *
     * @throws ProtocolAbort blaming the sender when the consistency check fails
     */
    public BigInteger[] finish(SenderMessage msg) {
        int xi = Gadget.XI;
        BigInteger[] theta = CheckChallenge.theta(ot.extensionSession(), msg);
        BigInteger[][] r = new BigInteger[xi][2];
        BigInteger[] d = {BigInteger.ZERO, BigInteger.ZERO};
        for (int k = 0; k < xi; k++) {
            boolean x = ot.choices()[k];
            long[] row = ot.rows()[k];
            BigInteger[] pad = Pads.derive(ot.extensionSession(), k, row[0], row[1]);
            BigInteger[] zb = new BigInteger[Pads.WIDTH];
            for (int m = 0; m < Pads.WIDTH; m++) zb[m] = x ? msg.corrections()[k][m].subtract(pad[m]) : pad[m].negate();
            for (int m = 0; m < 2; m++) {
                BigInteger expected = x ? msg.checkValues()[m] : BigInteger.ZERO;
                r[k][m] = expected.subtract(zb[m]).subtract(theta[m].multiply(zb[2 + m])).mod(Q);
                d[m] = d[m].add(Gadget.get(k).multiply(zb[m]));
            }
        }
        if (!MessageDigest.isEqual(CheckChallenge.hash(ot.extensionSession(), r), msg.checkHash())) {
            throw ProtocolAbort.blame(peer, "multiplication consistency check failed");
        }
        d[0] = d[0].mod(Q);
        d[1] = d[1].mod(Q);
        return d;
    }

    public void wipe() {
        chi = BigInteger.ZERO;
        if (ot != null) {
            java.util.Arrays.fill(ot.choices(), false);
            for (long[] row : ot.rows()) java.util.Arrays.fill(row, 0L);
            ot = null;
        }
    }

    @Override
    public String toString() {
        return "MultiplicationReceiver[peer=" + peer + "]";
    }
}
