package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.dkls23.SignMessages.MultiplyRequest;
import io.mpcsystem.tss.dkls23.SignMessages.MultiplyResponse;
import io.mpcsystem.tss.dkls23.SignMessages.NonceCommitment;
import io.mpcsystem.tss.dkls23.SignMessages.NonceReveal;
import io.mpcsystem.tss.dkls23.mult.MultiplicationReceiver;
import io.mpcsystem.tss.dkls23.mult.MultiplicationSender;
import io.mpcsystem.tss.group.Lagrange;
import io.mpcsystem.tss.group.Secp256k1;
import io.mpcsystem.tss.hash.Transcript;
import io.mpcsystem.tss.protocol.Expectation;
import io.mpcsystem.tss.protocol.Inbox;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.mpcsystem.tss.protocol.Round;
import io.mpcsystem.tss.protocol.Transition;
import io.mpcsystem.tss.protocol.Transition.Outgoing;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The first two rounds of DKLs23 signing (Doerner, Kondi, Lee, shelat, S&P 2024, protocol 3.6),
 * which do not depend on the message: they end with a {@link Dkls23Presignature} that the last
 * round turns into a signature share for one message.
 *
 * <p>Each signer i samples an instance key r_i (R_i = r_i·G, committed in round 1 and opened in
 * round 2) and an inversion mask φ_i. For every ordered pair (i, j) a two-party random vector OLE
 * gives i (as sender, inputs r_i and its Lagrange-weighted key share) and j (as receiver, random
 * χ) additive shares of χ·r_i and χ·sk_i; j sends ψ = φ_j − χ to convert them into shares of
 * r_i·φ_j and sk_i·φ_j. The receiver checks the sender's inputs against R_i and its public key
 * share through Γ^u and Γ^v. Summing gives additive shares u of r·φ and v of sk·φ.
 *
 * <p>Run online ({@link Dkls23Sign}) the transcript also binds the message, as it always did;
 * run ahead of time ({@link #presign}) it binds everything but the message, under its own label,
 * so a presignature's messages can never be replayed into an online run or the other way round.
 */
final class Dkls23Presign<O> {
    private static final Secp256k1 G = Secp256k1.INSTANCE;
    private static final BigInteger Q = G.order();

    private final SessionId session;
    private final Dkls23KeyShare share;
    private final int self;
    private final Set<Integer> signers;
    private final Set<Integer> peers = new TreeSet<>();
    private final byte[] boundMessage;
    private final SecureRandom random;
    private final Function<Dkls23Presignature, Transition<O>> finish;

    private BigInteger instanceKey;
    private BigInteger phi;
    private BigInteger keyShare;
    private Secp256k1.Point instancePoint;
    private byte[] salt;
    private final Map<Integer, byte[]> commitments = new TreeMap<>();
    private final Map<Integer, MultiplicationReceiver> receivers = new TreeMap<>();
    private final Map<Integer, BigInteger[]> senderShares = new TreeMap<>();

    /**
     * @param boundMessage the message an online run binds into its transcript; null ahead of time
     * @param finish       what the run does with the presignature: output it, or sign at once
     */
    private Dkls23Presign(SessionId session, Dkls23KeyShare share, Set<Integer> signers, byte[] boundMessage, SecureRandom random,
                          Function<Dkls23Presignature, Transition<O>> finish) {
        this.session = session;
        this.share = share;
        this.self = share.index();
        this.signers = new TreeSet<>(signers);
        this.boundMessage = boundMessage == null ? null : boundMessage.clone();
        this.random = random;
        this.finish = finish;
        for (int j : this.signers) if (j != self) peers.add(j);
    }

    /** Two rounds ahead of any message; the output is secret and must be used for one message only. */
    static ProtocolParty<Dkls23Presignature> presign(SessionId session, Dkls23KeyShare share, Set<Integer> signers, SecureRandom random) {
        checkSigners(share, signers);
        return new Dkls23Presign<Dkls23Presignature>(session, share, signers, null, random, Transition::done).begin();
    }

    /** The same two rounds bound to {@code message}, continuing as {@code finish} says. */
    static <O> ProtocolParty<O> online(SessionId session, Dkls23KeyShare share, Set<Integer> signers, byte[] message, SecureRandom random,
                                       Function<Dkls23Presignature, Transition<O>> finish) {
        checkSigners(share, signers);
        return new Dkls23Presign<>(session, share, signers, message, random, finish).begin();
    }

    private static void checkSigners(Dkls23KeyShare share, Set<Integer> signers) {
        if (signers.size() != share.threshold()) throw new IllegalArgumentException("need exactly " + share.threshold() + " signers, got " + signers.size());
        if (!signers.contains(share.index())) throw new IllegalArgumentException("the signer set must contain this party (" + share.index() + ")");
        for (int j : signers) if (j < 1 || j > share.parties()) throw new IllegalArgumentException("signer " + j + " is not a party of this key");
    }

    private Transcript binding(String step) {
        String label = boundMessage == null ? "mpc-system/dkls23/v1/presign/" : "mpc-system/dkls23/v1/sign/";
        Transcript t = Transcript.of(label + step).append("session", session.bytes())
                .append("public-key", share.publicKey()).append("count", signers.size());
        for (int j : signers) t.append("signer", j);
        return boundMessage == null ? t : t.append("message", boundMessage);
    }

    private byte[] nonceCommitment(int party, Secp256k1.Point r, byte[] salt) {
        return binding("nonce-commit").append("party", party).append("R", r.encode()).append("salt", salt).digest();
    }

    private byte[] multiplicationContext(int sender, int receiver) {
        return binding("multiply").append("sender", sender).append("receiver", receiver).digest();
    }

    private Secp256k1.Point weightedPublicShare(int party) {
        return share.publicShare(party).multiply(Lagrange.atZero(Q, party, signers));
    }

    private ProtocolParty<O> begin() {
        instanceKey = G.randomScalar(random);
        phi = G.randomScalar(random);
        keyShare = Lagrange.atZero(Q, self, signers).multiply(share.secret()).mod(Q);
        instancePoint = G.multiplyBase(instanceKey);
        salt = new byte[32];
        random.nextBytes(salt);
        commitments.put(self, nonceCommitment(self, instancePoint, salt));
        Map<Integer, byte[]> direct = new HashMap<>();
        for (int j : peers) {
            MultiplicationReceiver r = MultiplicationReceiver.start(share.receiverSeeds(j), multiplicationContext(j, self), random, j);
            receivers.put(j, r);
            direct.put(j, new MultiplyRequest(r.request()).encode());
        }
        return new ProtocolParty<>(self, new AwaitCommitments(), Outgoing.both(new NonceCommitment(commitments.get(self)).encode(), direct));
    }

    private void wipeAll() {
        instanceKey = BigInteger.ZERO;
        phi = BigInteger.ZERO;
        keyShare = BigInteger.ZERO;
        receivers.values().forEach(MultiplicationReceiver::wipe);
        senderShares.clear();
    }

    /** Both rounds take a broadcast and a direct message from every other signer. */
    private abstract class PresignRound implements Round<O> {
        @Override
        public Expectation expects() {
            return Expectation.bothFrom(peers);
        }

        @Override
        public void wipe() {
            wipeAll();
        }
    }

    /** Round 1 in: nonce commitments and multiplication requests. Out: nonce reveal, multiplication responses. */
    private final class AwaitCommitments extends PresignRound {
        @Override
        public Transition<O> process(Inbox inbox) {
            Map<Integer, byte[]> direct = new HashMap<>();
            for (int j : peers) {
                commitments.put(j, inbox.broadcast(j, NonceCommitment::decode).digest());
                MultiplyRequest req = inbox.direct(j, MultiplyRequest::decode);
                MultiplicationSender.Result res = MultiplicationSender.respond(share.senderSeeds(j), multiplicationContext(self, j),
                        req.request(), instanceKey, keyShare, random, j);
                senderShares.put(j, res.shares());
                BigInteger psi = phi.subtract(receivers.get(j).chi()).mod(Q);
                direct.put(j, new MultiplyResponse(res.message(), G.multiplyBase(res.shares()[0]), G.multiplyBase(res.shares()[1]), psi).encode());
            }
            return Transition.next(new AwaitReveals(), Outgoing.both(new NonceReveal(instancePoint, salt).encode(), direct));
        }
    }

    /** Round 2 in: reveals and multiplication responses, all checked. Output: this party's presignature. */
    private final class AwaitReveals extends PresignRound {
        @Override
        public Transition<O> process(Inbox inbox) {
            Secp256k1.Point bigR = instancePoint;
            BigInteger phiSum = phi;
            BigInteger uAcc = BigInteger.ZERO;
            BigInteger vAcc = BigInteger.ZERO;
            for (int j : peers) {
                NonceReveal reveal = inbox.broadcast(j, NonceReveal::decode);
                if (!MessageDigest.isEqual(nonceCommitment(j, reveal.instanceKey(), reveal.salt()), commitments.get(j))) {
                    throw ProtocolAbort.blame(j, "instance key does not match its commitment");
                }
                MultiplyResponse resp = inbox.direct(j, MultiplyResponse::decode);
                MultiplicationReceiver receiver = receivers.get(j);
                BigInteger[] d = receiver.finish(resp.message());
                BigInteger chi = receiver.chi();
                // Γ checks (DKLs23, protocol 3.6, step 6): the sender used R_j's discrete log and its own key share
                if (!reveal.instanceKey().multiply(chi).subtract(resp.gammaU()).equals(G.multiplyBase(d[0]))) {
                    throw ProtocolAbort.blame(j, "multiplication input does not match its instance key");
                }
                if (!weightedPublicShare(j).multiply(chi).subtract(resp.gammaV()).equals(G.multiplyBase(d[1]))) {
                    throw ProtocolAbort.blame(j, "multiplication input does not match its public key share");
                }
                bigR = bigR.add(reveal.instanceKey());
                phiSum = phiSum.add(resp.psi());
                BigInteger[] c = senderShares.get(j);
                uAcc = uAcc.add(c[0]).add(d[0]);
                vAcc = vAcc.add(c[1]).add(d[1]);
                receiver.wipe();
            }
            if (bigR.isIdentity()) throw ProtocolAbort.unattributed("the joint instance key is the identity");
            if (bigR.affineX().mod(Q).signum() == 0) throw ProtocolAbort.unattributed("the joint instance key has r = 0");
            BigInteger u = instanceKey.multiply(phiSum).add(uAcc).mod(Q);
            BigInteger v = keyShare.multiply(phiSum).add(vAcc).mod(Q);
            Dkls23Presignature presignature = new Dkls23Presignature(session, share.publicKeyPoint(), self, signers, bigR, u, v, phi);
            wipeAll();
            return finish.apply(presignature);
        }
    }
}
