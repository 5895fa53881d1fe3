package io.mpcsystem.tss.dkls23.mult;

import io.mpcsystem.tss.dkls23.ot.ExtensionSenderSeeds;
import io.mpcsystem.tss.dkls23.ot.KosExtension;
import io.mpcsystem.tss.group.Secp256k1;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * The sender ("Alice") of DKLs23's random vector OLE (section 5): inputs a = (a_0, a_1), output
 * c with c_m + d_m = χ·a_m, where χ and d are the receiver's. The check values bind Alice to the
 * same a in every OT (the DKLs19 check with random masks â), so a cheating sender is caught
 * before its output is used.
 */
public final class MultiplicationSender {
    private static final BigInteger Q = Secp256k1.INSTANCE.order();

    private MultiplicationSender() {
    }

    /** The sender's additive shares c_0, c_1 and the message for the receiver. */
    public record Result(BigInteger[] shares, SenderMessage message) {
        @Override
        public String toString() {
            return "MultiplicationSender.Result[redacted]";
        }
    }

    /**
     * @param peer blamed when the receiver's extension request fails its check
     * @throws io.mpcsystem.tss.protocol.ProtocolAbort on a failed OT-extension check
     */
    public static Result respond(ExtensionSenderSeeds seeds, byte[] context, KosExtension.Request request,
                                 BigInteger a0, BigInteger a1, SecureRandom random, int peer) {
        KosExtension.SenderResult ot = KosExtension.send(seeds, context, Gadget.XI, request, peer);
        BigInteger[] alpha = {a0, a1, Secp256k1.INSTANCE.randomScalar(random), Secp256k1.INSTANCE.randomScalar(random)};
        int xi = Gadget.XI;
        BigInteger[][] z = new BigInteger[xi][];
        BigInteger[][] tau = new BigInteger[xi][Pads.WIDTH];
        for (int k = 0; k < xi; k++) {
            long[] row = ot.rows()[k];
            BigInteger[] p0 = Pads.derive(ot.extensionSession(), k, row[0], row[1]);
            BigInteger[] p1 = Pads.derive(ot.extensionSession(), k, row[0] ^ ot.deltaHi(), row[1] ^ ot.deltaLo());
            z[k] = p0;
            for (int m = 0; m < Pads.WIDTH; m++) tau[k][m] = p1[m].subtract(p0[m]).add(alpha[m]).mod(Q);
        }
        SenderMessage partial = new SenderMessage(tau, new byte[32], new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
        BigInteger[] theta = CheckChallenge.theta(ot.extensionSession(), partial);
        BigInteger[][] r = new BigInteger[xi][2];
        for (int k = 0; k < xi; k++) {
            for (int m = 0; m < 2; m++) r[k][m] = z[k][m].add(theta[m].multiply(z[k][2 + m])).mod(Q);
        }
        BigInteger[] u = new BigInteger[2];
        for (int m = 0; m < 2; m++) u[m] = alpha[m].add(theta[m].multiply(alpha[2 + m])).mod(Q);
        BigInteger[] c = {BigInteger.ZERO, BigInteger.ZERO};
        for (int k = 0; k < xi; k++) {
            for (int m = 0; m < 2; m++) c[m] = c[m].add(Gadget.get(k).multiply(z[k][m]));
        }
        c[0] = c[0].mod(Q);
        c[1] = c[1].mod(Q);
        return new Result(c, new SenderMessage(tau, CheckChallenge.hash(ot.extensionSession(), r), u));
    }
}
