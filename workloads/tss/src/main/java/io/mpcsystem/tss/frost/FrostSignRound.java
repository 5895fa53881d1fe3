package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.protocol.Expectation;
import io.mpcsystem.tss.protocol.Inbox;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.Round;
import io.mpcsystem.tss.protocol.Transition;
import java.math.BigInteger;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Signing round two: every signer acts as aggregator. Each share is checked against its
 * signer's verifying share before aggregation, so a bad share names its sender instead of
 * yielding an invalid signature.
 */
final class FrostSignRound implements Round<Signature> {
    private final FrostSigningParams params;
    private final FrostSigningPackage pkg;
    private final BigInteger ownShare;

    FrostSignRound(FrostSigningParams params, FrostSigningPackage pkg, BigInteger ownShare) {
        this.params = params;
        this.pkg = pkg;
        this.ownShare = ownShare;
    }

    @Override
    public Expectation expects() {
        return Expectation.broadcastFrom(params.others());
    }

    @Override
    public Transition<Signature> process(Inbox inbox) {
        FrostCiphersuite suite = params.suite();
        SortedMap<Integer, BigInteger> shares = new TreeMap<>();
        shares.put(params.self(), ownShare);
        for (int j : params.others()) {
            BigInteger z = inbox.broadcast(j, bytes -> SignatureShareMessage.decode(suite, bytes)).share();
            if (!pkg.verifyShare(j, z, params.verifyingShare(j))) throw ProtocolAbort.blame(j, "signature share fails verification");
            shares.put(j, z);
        }
        // our own share can only fail if our key share is stale (e.g. not refreshed with the others)
        if (!pkg.verifyShare(params.self(), ownShare, params.verifyingShare(params.self()))) {
            throw ProtocolAbort.blame(params.self(), "own signature share fails verification: key share does not match the group");
        }
        FrostSignature sig = pkg.aggregate(shares);
        if (!sig.verify(suite, params.groupPublicKey(), params.message())) {
            throw ProtocolAbort.unattributed("aggregated signature does not verify");
        }
        return Transition.done(new Signature(sig.encode(suite), OptionalInt.empty()));
    }
}
