package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.group.Group;
import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.group.Polynomial;
import io.mpcsystem.tss.protocol.Expectation;
import io.mpcsystem.tss.protocol.Inbox;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.Round;
import io.mpcsystem.tss.protocol.Transition;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Dealing round one, after this party broadcast its commitments: checks every dealer's
 * commitments (and, for keygen, its proof of knowledge, which stops rogue-key attacks on the
 * group key), then sends each party its share of this party's polynomial.
 */
final class FrostDkgCommitRound implements Round<FrostKeyShare> {
    private final FrostDealingRun run;
    private final byte[] ownBroadcast;
    private Polynomial polynomial;
    private BigInteger previousSecret;

    FrostDkgCommitRound(FrostDealingRun run, Polynomial polynomial, byte[] ownBroadcast, BigInteger previousSecret) {
        this.run = run;
        this.polynomial = polynomial;
        this.ownBroadcast = ownBroadcast.clone();
        this.previousSecret = previousSecret;
    }

    @Override
    public Expectation expects() {
        return Expectation.broadcastFrom(run.others());
    }

    @Override
    public Transition<FrostKeyShare> process(Inbox inbox) {
        Group g = run.suite().group();
        SortedMap<Integer, List<GroupElement>> commitments = new TreeMap<>();
        SortedMap<Integer, byte[]> broadcasts = new TreeMap<>();
        commitments.put(run.self(), DealerCommitment.decode(run, ownBroadcast).fullCommitments(g));
        broadcasts.put(run.self(), ownBroadcast);
        for (int j : run.others()) {
            DealerCommitment dc = inbox.broadcast(j, bytes -> DealerCommitment.decode(run, bytes));
            if (run.isRefresh()) {
                if (!MessageDigest.isEqual(dc.keyFingerprint(), run.previous().fingerprint())) {
                    throw ProtocolAbort.blame(j, "refreshes a different key");
                }
            } else if (!dc.proof().verify(g, run.proofContext(j), dc.commitments().get(0))) {
                throw ProtocolAbort.blame(j, "proof of knowledge of the constant term fails");
            }
            commitments.put(j, dc.fullCommitments(g));
            broadcasts.put(j, inbox.broadcast(j));
        }
        Map<Integer, byte[]> direct = new HashMap<>();
        for (int j : run.others()) direct.put(j, new DealtShare(polynomial.evaluate(j)).encode(run.suite(), run.shareType()));
        BigInteger own = polynomial.evaluate(run.self());
        FrostDkgShareRound next = new FrostDkgShareRound(run, commitments, broadcasts, own, previousSecret);
        wipe();
        return Transition.next(next, Transition.Outgoing.direct(direct));
    }

    @Override
    public void wipe() {
        if (polynomial != null) polynomial.wipe();
        polynomial = null;
        previousSecret = null;
    }

    @Override
    public String toString() {
        return "FrostDkgCommitRound[party " + run.self() + ", " + run.kind() + ", secrets redacted]";
    }
}
