package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.group.Group;
import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.group.Polynomial;
import io.mpcsystem.tss.group.SchnorrProof;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.mpcsystem.tss.protocol.Transition;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;

/**
 * Starts the dealing protocols: Pedersen DKG with proofs of knowledge (Komlo-Goldberg FROST,
 * Figure 1) for a new key, and proactive refresh (every party deals a sharing of zero) for an
 * existing one. Both run three rounds: commitments, private shares, echo of the commitments.
 */
public final class FrostDkg {
    private FrostDkg() {
    }

    public static ProtocolParty<FrostKeyShare> keygen(FrostCiphersuite suite, SessionId session, int self, int threshold, int parties, SecureRandom random) {
        if (parties < 2 || parties > FrostKeyShare.MAX_PARTIES) throw new IllegalArgumentException("parties must be 2.." + FrostKeyShare.MAX_PARTIES);
        if (threshold < 2 || threshold > parties) throw new IllegalArgumentException("threshold must be 2..parties");
        if (self < 1 || self > parties) throw new IllegalArgumentException("self must be 1..parties");
        FrostDealingRun run = new FrostDealingRun(suite, session, self, threshold, parties, null);
        Group g = suite.group();
        Polynomial f = Polynomial.random(g, g.randomScalar(random), threshold - 1, random);
        List<GroupElement> cs = f.commitments();
        SchnorrProof pok = SchnorrProof.prove(g, run.proofContext(self), f.constant(), cs.get(0), random);
        byte[] payload = DealerCommitment.keygen(cs, pok).encode(suite);
        return new ProtocolParty<>(self, new FrostDkgCommitRound(run, f, payload, BigInteger.ZERO), Transition.Outgoing.broadcast(payload));
    }

    /** All n holders of {@code share}'s key take part; the group key stays, the shares change. */
    public static ProtocolParty<FrostKeyShare> refresh(SessionId session, FrostKeyShare share, SecureRandom random) {
        FrostCiphersuite suite = share.suite();
        FrostDealingRun run = new FrostDealingRun(suite, session, share.index(), share.threshold(), share.parties(),
                new FrostDealingRun.PreviousKey(share.groupPublicKey(), share.verifyingShares(), share.publicFingerprint()));
        Polynomial f = Polynomial.random(suite.group(), BigInteger.ZERO, share.threshold() - 1, random);
        List<GroupElement> cs = f.commitments();
        byte[] payload = DealerCommitment.refresh(share.publicFingerprint(), cs.subList(1, cs.size())).encode(suite);
        return new ProtocolParty<>(share.index(), new FrostDkgCommitRound(run, f, payload, share.secret()), Transition.Outgoing.broadcast(payload));
    }
}
