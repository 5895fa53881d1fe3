package io.mpcsystem.tss.dkls23.mult;

import io.mpcsystem.tss.group.Secp256k1;
import io.mpcsystem.tss.hash.Transcript;
import java.math.BigInteger;
import java.security.MessageDigest;

/** Fiat-Shamir pieces of the multiplication's consistency check, shared by both sides. */
final class CheckChallenge {
    private static final Secp256k1 G = Secp256k1.INSTANCE;

    private CheckChallenge() {
    }

    /** θ_m, fixed only after the sender committed to τ. */
    static BigInteger[] theta(byte[] extensionSession, SenderMessage msg) {
        byte[] tau = msg.correctionBytes();
        BigInteger[] th = new BigInteger[2];
        for (int m = 0; m < 2; m++) {
            th[m] = Transcript.of("mpc-system/dkls23/v1/vole-check").append("ext", extensionSession).append("tau", tau).append("m", m).challenge(G.order());
        }
        return th;
    }

    /** Hash of the check vector r_{k,m}, in order. */
    static byte[] hash(byte[] extensionSession, BigInteger[][] r) {
        MessageDigest md = io.mpcsystem.tss.dkls23.mult.CheckChallenge.sha256();
        md.update(extensionSession);
        for (BigInteger[] rk : r) for (BigInteger s : rk) md.update(G.encodeScalar(s));
        return md.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
