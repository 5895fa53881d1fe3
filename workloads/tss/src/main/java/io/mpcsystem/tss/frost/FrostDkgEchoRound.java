package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.protocol.Expectation;
import io.mpcsystem.tss.protocol.Inbox;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.Round;
import io.mpcsystem.tss.protocol.Transition;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Dealing round three: compares every party's echo with our own view of the round-one
 * broadcasts. A dealer that sent different commitments to different parties would otherwise
 * leave them with shares of different keys.
 */
final class FrostDkgEchoRound implements Round<FrostKeyShare> {
    private final FrostDealingRun run;
    private final EchoMessage mine;
    private BigInteger secret;
    private final GroupElement groupKey;
    private final List<GroupElement> verifying;

    FrostDkgEchoRound(FrostDealingRun run, EchoMessage mine, BigInteger secret, GroupElement groupKey, List<GroupElement> verifying) {
        this.run = run;
        this.mine = mine;
        this.secret = secret;
        this.groupKey = groupKey;
        this.verifying = List.copyOf(verifying);
    }

    @Override
    public Expectation expects() {
        return Expectation.broadcastFrom(run.others());
    }

    @Override
    public Transition<FrostKeyShare> process(Inbox inbox) {
        SortedMap<Integer, EchoMessage> echoes = new TreeMap<>();
        for (int k : run.others()) {
            echoes.put(k, inbox.broadcast(k, bytes -> EchoMessage.decode(run.echoType(), run.parties(), bytes)));
        }
        // first the attributable disagreements: what k says about its own broadcast or about ours
        for (var e : echoes.entrySet()) {
            int k = e.getKey();
            if (!MessageDigest.isEqual(e.getValue().digest(k), mine.digest(k))) {
                throw ProtocolAbort.blame(k, "its round-one broadcast differs from what it echoes (equivocation)");
            }
            if (!MessageDigest.isEqual(e.getValue().digest(run.self()), mine.digest(run.self()))) {
                throw ProtocolAbort.blame(k, "echo misreports our round-one broadcast");
            }
        }
        // a disagreement about a third party's broadcast cannot tell whether that party or the echoer lied
        for (var e : echoes.entrySet()) {
            int k = e.getKey();
            for (int j = 1; j <= run.parties(); j++) {
                if (j == k || j == run.self()) continue;
                if (!MessageDigest.isEqual(e.getValue().digest(j), mine.digest(j))) {
                    throw ProtocolAbort.unattributed("parties " + k + " and " + run.self() + " received different round-one broadcasts from party "
                            + j + " (party " + j + " equivocated or party " + k + " misreports)");
                }
            }
        }
        FrostKeyShare share = new FrostKeyShare(run.suite(), run.self(), run.threshold(), run.parties(), secret, groupKey, verifying);
        wipe();
        return Transition.done(share);
    }

    @Override
    public void wipe() {
        secret = null;
    }

    @Override
    public String toString() {
        return "FrostDkgEchoRound[party " + run.self() + ", " + run.kind() + ", secret redacted]";
    }
}
