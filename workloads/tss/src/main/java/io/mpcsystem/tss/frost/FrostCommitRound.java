package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.protocol.Expectation;
import io.mpcsystem.tss.protocol.Inbox;
import io.mpcsystem.tss.protocol.Round;
import io.mpcsystem.tss.protocol.Transition;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Signing round one as seen after this signer broadcast its commitments: collects the other
 * signers' commitments and answers with this signer's share. The nonces exist only here and are
 * wiped as soon as the share is computed, so they sign exactly one message.
 */
final class FrostCommitRound implements Round<Signature> {
    private final FrostSigningParams params;
    private BigInteger secretShare;
    private final SigningCommitment mine;
    private SigningNonces nonces;

    FrostCommitRound(FrostSigningParams params, BigInteger secretShare, SigningNonces nonces) {
        this.params = params;
        this.secretShare = secretShare;
        this.nonces = nonces;
        this.mine = nonces.commitment(params.suite(), params.self());
    }

    SigningCommitment commitment() {
        return mine;
    }

    @Override
    public Expectation expects() {
        return Expectation.broadcastFrom(params.others());
    }

    @Override
    public Transition<Signature> process(Inbox inbox) {
        List<SigningCommitment> all = new ArrayList<>();
        all.add(mine);
        for (int j : new TreeSet<>(params.others())) {
            all.add(inbox.broadcast(j, bytes -> SigningCommitment.decode(params.suite(), j, bytes)));
        }
        FrostSigningPackage pkg = new FrostSigningPackage(params.suite(), params.groupPublicKey(), params.message(), all);
        BigInteger z;
        try {
            z = pkg.signShare(params.self(), secretShare, nonces);
        } finally {
            wipe();
        }
        return Transition.next(new FrostSignRound(params, pkg, z),
                Transition.Outgoing.broadcast(new SignatureShareMessage(z).encode(params.suite())));
    }

    @Override
    public void wipe() {
        if (nonces != null) nonces.wipe();
        nonces = null;
        secretShare = null;
    }

    @Override
    public String toString() {
        return "FrostCommitRound[party " + params.self() + ", nonces redacted]";
    }
}
