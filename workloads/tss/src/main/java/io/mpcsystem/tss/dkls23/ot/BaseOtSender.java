package io.mpcsystem.tss.dkls23.ot;

import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.group.SchnorrProof;
import io.mpcsystem.tss.group.Secp256k1;
import io.mpcsystem.tss.hash.Transcript;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The sender's side of a batch of verified simplest OTs (Doerner-Kondi-Lee-shelat 2018,
 * protocol 7). In DKLs23 the OT-extension receiver plays this part; its output is both seeds of
 * every OT. The verification phase makes a receiver that does not know its chosen key, or a
 * sender that equivocates, visible before any seed is used.
 */
public final class BaseOtSender {
    private static final Secp256k1 G = Secp256k1.INSTANCE;

    private final int peer;
    private final byte[] context;
    private BigInteger b;
    private final GroupElement bPoint;
    private byte[][] rho0;
    private byte[][] rho1;

    private BaseOtSender(int peer, byte[] context, BigInteger b) {
        this.peer = peer;
        this.context = context;
        this.b = b;
        this.bPoint = G.multiplyBase(b);
    }

    /**
     * @param context a digest binding session, protocol step, sender and receiver indices
     * @param peer    the receiver's index, blamed when its messages fail a check
     */
    public static BaseOtSender start(byte[] context, int peer, SecureRandom random) {
        return new BaseOtSender(peer, context.clone(), G.randomScalar(random));
    }

    public BaseOtMessages.SenderKey senderKey(SecureRandom random) {
        return new BaseOtMessages.SenderKey(bPoint, SchnorrProof.prove(G, proofTranscript(context), b, bPoint, random));
    }

    static Transcript proofTranscript(byte[] context) {
        return Transcript.of("mpc-system/dkls23/v1/base-ot/sender-key").append("context", context);
    }

    /** Computes both keys of each OT and the challenges ξ_k = H(H(ρ0_k)) ⊕ H(H(ρ1_k)). */
    public BaseOtMessages.Digests challenge(BaseOtMessages.Choices choices) {
        int k = KosExtension.KAPPA;
        rho0 = new byte[k][];
        rho1 = new byte[k][];
        GroupElement bb = bPoint.multiply(b);
        List<byte[]> xi = new ArrayList<>(k);
        for (int j = 0; j < k; j++) {
            GroupElement ab = choices.points().get(j).multiply(b);
            rho0[j] = key(context, j, ab);
            rho1[j] = key(context, j, ab.subtract(bb));
            byte[] c = hash2(rho0[j]);
            OtHash.xorInto(c, hash2(rho1[j]));
            xi.add(c);
        }
        return new BaseOtMessages.Digests(xi);
    }

    /**
     * Checks the receiver's responses (each must equal H(H(ρ0_k))) and opens H(ρ0_k), H(ρ1_k).
     *
     * @throws ProtocolAbort blaming the receiver when a response is wrong
     */
    public BaseOtMessages.Openings verify(BaseOtMessages.Digests responses) {
        List<byte[]> h0 = new ArrayList<>();
        List<byte[]> h1 = new ArrayList<>();
        for (int j = 0; j < KosExtension.KAPPA; j++) {
            byte[] first = OtHash.hash(OtHash.TAG_BASE_HASH, rho0[j]);
            if (!MessageDigest.isEqual(OtHash.hash(OtHash.TAG_BASE_HASH2, first), responses.values().get(j))) {
                throw ProtocolAbort.blame(peer, "base OT response " + j + " is wrong");
            }
            h0.add(first);
            h1.add(OtHash.hash(OtHash.TAG_BASE_HASH, rho1[j]));
        }
        return new BaseOtMessages.Openings(new BaseOtMessages.Digests(h0), new BaseOtMessages.Digests(h1));
    }

    /** Both seeds of each OT: the OT-extension receiver's setup. */
    public ExtensionReceiverSeeds seeds() {
        byte[][] s0 = new byte[rho0.length][];
        byte[][] s1 = new byte[rho1.length][];
        for (int j = 0; j < rho0.length; j++) {
            s0[j] = rho0[j].clone();
            s1[j] = rho1[j].clone();
        }
        ExtensionReceiverSeeds s = new ExtensionReceiverSeeds(s0, s1);
        b = BigInteger.ZERO;
        return s;
    }

    public void wipe() {
        b = BigInteger.ZERO;
        if (rho0 != null) for (byte[] r : rho0) java.util.Arrays.fill(r, (byte) 0);
        if (rho1 != null) for (byte[] r : rho1) java.util.Arrays.fill(r, (byte) 0);
    }

    static byte[] key(byte[] context, int j, GroupElement point) {
        return OtHash.hash(OtHash.TAG_BASE_KEY, context, OtHash.intBytes(j), point.isIdentity() ? new byte[0] : point.encode());
    }

    static byte[] hash2(byte[] rho) {
        return OtHash.hash(OtHash.TAG_BASE_HASH2, OtHash.hash(OtHash.TAG_BASE_HASH, rho));
    }

    @Override
    public String toString() {
        return "BaseOtSender[peer=" + peer + "]";
    }
}
