package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.group.Feldman;
import io.mpcsystem.tss.group.Group;
import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.protocol.Expectation;
import io.mpcsystem.tss.protocol.Inbox;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.Round;
import io.mpcsystem.tss.protocol.Transition;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * Dealing round two: checks each private share against its dealer's commitments (a bad share
 * names the dealer), sums the shares, derives the group key and all verifying shares, then
 * echoes what it received in round one.
 */
final class FrostDkgShareRound implements Round<FrostKeyShare> {
    private final FrostDealingRun run;
    private final SortedMap<Integer, List<GroupElement>> commitments;
    private final SortedMap<Integer, byte[]> broadcasts;
    private BigInteger ownValue;
    private BigInteger previousSecret;

    FrostDkgShareRound(FrostDealingRun run, SortedMap<Integer, List<GroupElement>> commitments,
                       SortedMap<Integer, byte[]> broadcasts, BigInteger ownValue, BigInteger previousSecret) {
        this.run = run;
        this.commitments = commitments;
        this.broadcasts = broadcasts;
        this.ownValue = ownValue;
        this.previousSecret = previousSecret;
    }

    @Override
    public Expectation expects() {
        return Expectation.directFrom(run.others());
    }

    @Override
    public Transition<FrostKeyShare> process(Inbox inbox) {
        Group g = run.suite().group();
        BigInteger q = g.order();
        BigInteger secret = ownValue.add(previousSecret);
        for (int j : run.others()) {
            BigInteger v = inbox.direct(j, bytes -> DealtShare.decode(run.suite(), run.shareType(), bytes)).value();
            if (!Feldman.verifyShare(g, commitments.get(j), run.self(), v)) {
                throw ProtocolAbort.blame(j, "dealt share does not match its commitments");
            }
            secret = secret.add(v);
        }
        secret = secret.mod(q);

        List<GroupElement> summed = Feldman.sum(g, new ArrayList<>(commitments.values()));
        GroupElement groupKey = run.isRefresh() ? run.previous().groupPublicKey() : summed.get(0);
        if (groupKey.isIdentity()) throw ProtocolAbort.unattributed("group public key is the identity");
        List<GroupElement> verifying = new ArrayList<>(run.parties());
        for (int l = 1; l <= run.parties(); l++) {
            GroupElement y = Feldman.evaluate(g, summed, l);
            verifying.add(run.isRefresh() ? run.previous().verifyingShares().get(l - 1).add(y) : y);
        }
        if (!g.multiplyBase(secret).equals(verifying.get(run.self() - 1))) {
            throw ProtocolAbort.unattributed("own share does not match its verifying share");
        }

        List<byte[]> digests = new ArrayList<>(run.parties());
        for (int j = 1; j <= run.parties(); j++) digests.add(run.echoDigest(j, broadcasts.get(j)));
        EchoMessage echo = new EchoMessage(digests);
        FrostDkgEchoRound next = new FrostDkgEchoRound(run, echo, secret, groupKey, verifying);
        wipe();
        return Transition.next(next, Transition.Outgoing.broadcast(echo.encode(run.echoType())));
    }

    @Override
    public void wipe() {
        ownValue = null;
        previousSecret = null;
    }

    @Override
    public String toString() {
        return "FrostDkgShareRound[party " + run.self() + ", " + run.kind() + ", secrets redacted]";
    }
}
