package io.mpcsystem.tss.dkls23.ot;

import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.group.Secp256k1;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The receiver's side of a batch of verified simplest OTs. In DKLs23 the OT-extension sender
 * plays this part, choosing with the bits of its secret correlation Δ.
 */
public final class BaseOtReceiver {
    private static final Secp256k1 G = Secp256k1.INSTANCE;

    private final int peer;
    private final byte[] delta;
    private final byte[][] rho;
    private List<byte[]> challenges;

    private BaseOtReceiver(int peer, byte[] delta, byte[][] rho) {
        this.peer = peer;
        this.delta = delta;
        this.rho = rho;
    }

    /** A random correlation Δ, never zero, for one peer. */
    public static byte[] randomDelta(SecureRandom random) {
        byte[] d = new byte[KosExtension.KAPPA / 8];
        boolean zero;
        do {
            random.nextBytes(d);
            zero = true;
            for (byte x : d) zero &= x == 0;
        } while (zero);
        return d;
    }

    /**
     * Checks the sender's key and answers with one choice point per OT.
     *
     * @throws ProtocolAbort blaming the sender when its proof of knowledge fails
     */
    public static Started respond(byte[] context, int peer, BaseOtMessages.SenderKey key, byte[] delta, SecureRandom random) {
        if (!key.proof().verify(G, BaseOtSender.proofTranscript(context), key.key())) {
            throw ProtocolAbort.blame(peer, "base OT sender key proof is invalid");
        }
        int k = KosExtension.KAPPA;
        byte[][] rho = new byte[k][];
        List<GroupElement> points = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            BigInteger a = G.randomScalar(random);
            GroupElement aG = G.multiplyBase(a);
            boolean bit = ((delta[j >>> 3] >>> (j & 7)) & 1) == 1;
            points.add(bit ? aG.add(key.key()) : aG);
            rho[j] = BaseOtSender.key(context, j, key.key().multiply(a));
        }
        return new Started(new BaseOtReceiver(peer, delta.clone(), rho), new BaseOtMessages.Choices(points));
    }

    public record Started(BaseOtReceiver receiver, BaseOtMessages.Choices choices) {
    }

    /** Answers each challenge with H(H(ρ_k)) ⊕ ω_k·ξ_k, which equals H(H(ρ0_k)) when all is honest. */
    public BaseOtMessages.Digests answer(BaseOtMessages.Digests challenge) {
        challenges = challenge.values();
        List<byte[]> out = new ArrayList<>(KosExtension.KAPPA);
        for (int j = 0; j < KosExtension.KAPPA; j++) {
            byte[] r = BaseOtSender.hash2(rho[j]);
            if (bit(j)) OtHash.xorInto(r, challenges.get(j));
            out.add(r);
        }
        return new BaseOtMessages.Digests(out);
    }

    /**
     * Checks the sender's openings against the challenges and its own key.
     *
     * @throws ProtocolAbort blaming the sender when an opening or challenge is inconsistent
     */
    public ExtensionSenderSeeds finish(BaseOtMessages.Openings openings) {
        for (int j = 0; j < KosExtension.KAPPA; j++) {
            byte[] o0 = openings.first().values().get(j);
            byte[] o1 = openings.second().values().get(j);
            byte[] mine = OtHash.hash(OtHash.TAG_BASE_HASH, rho[j]);
            if (!MessageDigest.isEqual(mine, bit(j) ? o1 : o0)) throw ProtocolAbort.blame(peer, "base OT opening " + j + " does not match");
            byte[] xi = OtHash.hash(OtHash.TAG_BASE_HASH2, o0);
            OtHash.xorInto(xi, OtHash.hash(OtHash.TAG_BASE_HASH2, o1));
            if (!MessageDigest.isEqual(xi, challenges.get(j))) throw ProtocolAbort.blame(peer, "base OT challenge " + j + " was not honestly formed");
        }
        byte[][] seeds = new byte[rho.length][];
        for (int j = 0; j < rho.length; j++) seeds[j] = rho[j].clone();
        return new ExtensionSenderSeeds(delta.clone(), seeds);
    }

    private boolean bit(int j) {
        return ((delta[j >>> 3] >>> (j & 7)) & 1) == 1;
    }

    public void wipe() {
        Arrays.fill(delta, (byte) 0);
        for (byte[] r : rho) if (r != null) Arrays.fill(r, (byte) 0);
    }

    @Override
    public String toString() {
        return "BaseOtReceiver[peer=" + peer + "]";
    }
}
