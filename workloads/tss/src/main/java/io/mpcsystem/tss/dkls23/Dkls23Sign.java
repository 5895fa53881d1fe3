package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.protocol.Expectation;
import io.mpcsystem.tss.protocol.Inbox;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.mpcsystem.tss.protocol.Round;
import io.mpcsystem.tss.protocol.Transition;
import io.mpcsystem.tss.protocol.Transition.Outgoing;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * DKLs23 threshold ECDSA signing online, in four rounds: the three rounds of {@link Dkls23Presign}
 * (session contributions and zero-share seeds, then the two rounds of DKLs23's protocol 3.6, all
 * bound to the message), then every signer broadcasts its signature share and combines them.
 *
 * <p>The presignature exists only inside this run and is used at once, so an instance key can
 * never sign twice.
 */
final class Dkls23Sign {
    private Dkls23Sign() {
    }

    static ProtocolParty<Signature> start(SessionId session, Dkls23KeyShare share, Set<Integer> signers, byte[] messageHash, SecureRandom random) {
        if (messageHash.length != 32) throw new IllegalArgumentException("DKLs23 signs a 32-byte hash, got " + messageHash.length + " bytes");
        byte[] hash = messageHash.clone();
        byte[] publicKey = share.publicKey();
        return Dkls23Presign.online(session, share, signers, hash, random, presignature -> {
            Dkls23SignatureShare own = presignature.signatureShare(hash);
            return Transition.next(new AwaitSignatureShares(publicKey, presignature.instanceKey(), hash, presignature.signers(), own),
                    Outgoing.broadcast(own.encode()));
        });
    }

    /** Round 4 in: everybody's u_j, w_j. Output: the verified, low-s signature with its recovery id. */
    private static final class AwaitSignatureShares implements Round<Signature> {
        private final byte[] publicKey;
        private final byte[] instanceKey;
        private final byte[] hash;
        private final Set<Integer> signers;
        private final Set<Integer> peers;
        private final Dkls23SignatureShare own;

        AwaitSignatureShares(byte[] publicKey, byte[] instanceKey, byte[] hash, Set<Integer> signers, Dkls23SignatureShare own) {
            this.publicKey = publicKey;
            this.instanceKey = instanceKey;
            this.hash = hash;
            this.signers = signers;
            this.own = own;
            this.peers = new TreeSet<>(signers);
            peers.remove(own.index());
        }

        @Override
        public Expectation expects() {
            return Expectation.broadcastFrom(peers);
        }

        @Override
        public Transition<Signature> process(Inbox inbox) {
            List<Dkls23SignatureShare> shares = new ArrayList<>();
            shares.add(own);
            for (int j : peers) shares.add(inbox.broadcast(j, b -> Dkls23SignatureShare.decode(j, b)));
            return Transition.done(Dkls23Combiner.combine(publicKey, instanceKey, hash, signers, shares));
        }
    }
}
