package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.dkls23.SignMessages.MultiplyRequest;
import io.mpcsystem.tss.dkls23.SignMessages.MultiplyResponse;
import io.mpcsystem.tss.dkls23.SignMessages.NonceCommitment;
import io.mpcsystem.tss.dkls23.SignMessages.NonceReveal;
import io.mpcsystem.tss.dkls23.SignMessages.SessionContribution;
import io.mpcsystem.tss.dkls23.SignMessages.ZeroSeed;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The rounds of DKLs23 signing (Doerner, Kondi, Lee, shelat, S&P 2024, protocol 3.6) that do not
 * depend on the message: they end with a {@link Dkls23Presignature} that the last round turns
 * into a signature share for one message.
 *
 * <p><b>Round 1</b> fixes this run's session. Every signer broadcasts a fresh 32-byte random
 * contribution, and sends each other signer, point to point, a fresh half of a pairwise seed. The
 * session id that every later transcript and every OT-extension context binds is a hash of the
 * coordinator's session id and all signers' contributions in index order
 * ({@link #runSession}), so it always holds this party's own fresh randomness: a coordinator
 * that repeats a session id, or a receiver that replays its extension nonce, can never make this
 * party expand the same OT pads twice (as the reference implementation does, whose signing starts
 * with a message carrying only a session-id contribution).
 *
 * <p>The pairwise seeds give a zero sharing (DKLs23's F_Zero): for each pair {i, k} a term
 * z_{i,k} from both halves and the run session, added by the lower index and subtracted by the
 * higher one, so Σζ_i = 0. Each signer uses λ_i·x_i + ζ_i as its additive key share, so the
 * shares that enter the multiplications are fresh in every run. The public images of the terms,
 * revealed in round 3, let every signer check the re-randomised shares: against its own seeds
 * (for its pair), against each other (the terms of a pair cancel) and through Γ^v.
 *
 * <p>Round 1 is a broadcast without a reliable-broadcast channel: a signer can send different
 * contributions to different signers. Each signer echoes the run session it derived in its round-2
 * broadcast, and every signer compares the echoes before any check that could blame a peer
 * (DKLs23's protocols assume broadcast; the reference implementation echoes round-1 hashes the
 * same way). Without the echo, an equivocating signer made two honest signers fail each other's
 * OT-extension check and quarantine each other until a refresh.
 *
 * <p><b>Round 2</b>: each signer samples an instance key r_i (R_i = r_i·G, committed here and
 * opened in round 3) and an inversion mask φ_i. For every ordered pair (i, j) a two-party random
 * vector OLE gives i (as sender, inputs r_i and its re-randomised key share) and j (as receiver,
 * random χ) additive shares of χ·r_i and χ·sk_i; j sends ψ = φ_j − χ to convert them into shares
 * of r_i·φ_j and sk_i·φ_j. <b>Round 3</b>: the receiver checks the sender's inputs against R_i and
 * its re-randomised public key share through Γ^u and Γ^v. Summing gives additive shares u of r·φ
 * and v of sk·φ.
 *
 * <p>Run online ({@link Dkls23Sign}) the transcript also binds the message, as it always did;
 * run ahead of time ({@link #presign}) it binds everything but the message, under its own label,
 * so a presignature's messages can never be replayed into an online run or the other way round.
 */
final class Dkls23Presign<O> {
    private static final Secp256k1 G = Secp256k1.INSTANCE;
    private static final BigInteger Q = G.order();
    static final String PRESIGN_LABEL = "mpc-system/dkls23/v1/presign/";
    static final String SIGN_LABEL = "mpc-system/dkls23/v1/sign/";

    private final SessionId session;
    private final Dkls23KeyShare share;
    private final int self;
    private final Set<Integer> signers;
    private final Set<Integer> peers = new TreeSet<>();
    private final byte[] boundMessage;
    private final SecureRandom random;
    private final Function<Dkls23Presignature, Transition<O>> finish;

    private byte[] contribution;
    private final Map<Integer, byte[]> seedHalves = new TreeMap<>();
    private byte[] run;
    private final Map<Integer, BigInteger> zeroTerms = new TreeMap<>();
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

    /** Three rounds ahead of any message; the output is secret and must be used for one message only. */
    static ProtocolParty<Dkls23Presignature> presign(SessionId session, Dkls23KeyShare share, Set<Integer> signers, SecureRandom random) {
        checkSigners(share, signers);
        return new Dkls23Presign<Dkls23Presignature>(session, share, signers, null, random, Transition::done).begin();
    }

    /** The same three rounds bound to {@code message}, continuing as {@code finish} says. */
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

    /**
     * The session id of one run: a domain-separated hash of the coordinator's session id and every
     * signer's round-1 contribution, in increasing index order. Every transcript after round 1 and
     * every OT-extension context binds it.
     *
     * @param label {@link #SIGN_LABEL} or {@link #PRESIGN_LABEL}
     */
    static byte[] runSession(String label, SessionId session, SortedMap<Integer, byte[]> contributions) {
        Transcript t = Transcript.of(label + "run-session").append("session", session.bytes()).append("count", contributions.size());
        contributions.forEach((j, c) -> t.append("signer", j).append("contribution", c));
        return t.digest();
    }

    private String label() {
        return boundMessage == null ? PRESIGN_LABEL : SIGN_LABEL;
    }

    /** The public inputs of the run, without the run session (round 1 has none yet). */
    private Transcript context(String step) {
        Transcript t = Transcript.of(label() + step).append("session", session.bytes())
                .append("public-key", share.publicKey()).append("count", signers.size());
        for (int j : signers) t.append("signer", j);
        return boundMessage == null ? t : t.append("message", boundMessage);
    }

    /** Every transcript of rounds 2 and 3: the public inputs and the run session. */
    private Transcript binding(String step) {
        return context(step).append("run", run);
    }

    private byte[] contributionBinding(int party, byte[] c) {
        return context("contribution").append("party", party).append("contribution", c).digest();
    }

    private byte[] nonceCommitment(int party, Secp256k1.Point r, byte[] salt) {
        return binding("nonce-commit").append("party", party).append("R", r.encode()).append("salt", salt).digest();
    }

    private byte[] multiplicationContext(int sender, int receiver) {
        return binding("multiply").append("sender", sender).append("receiver", receiver).digest();
    }

    /** z_{low,high}: the zero-sharing term of a pair from both seed halves; low adds it, high subtracts it. */
    private BigInteger pairTerm(int low, int high, byte[] fromLow, byte[] fromHigh) {
        return Transcript.of(label() + "zero-share").append("run", run).append("low", low).append("high", high)
                .append("from-low", fromLow).append("from-high", fromHigh).challenge(Q);
    }

    private ProtocolParty<O> begin() {
        contribution = new byte[SessionContribution.LENGTH];
        random.nextBytes(contribution);
        Map<Integer, byte[]> direct = new HashMap<>();
        for (int j : peers) {
            byte[] half = new byte[ZeroSeed.LENGTH];
            random.nextBytes(half);
            seedHalves.put(j, half);
            direct.put(j, new ZeroSeed(half).encode());
        }
        byte[] broadcast = new SessionContribution(contribution, contributionBinding(self, contribution)).encode();
        return new ProtocolParty<>(self, new AwaitContributions(), Outgoing.both(broadcast, direct));
    }

    private void wipeAll() {
        instanceKey = BigInteger.ZERO;
        phi = BigInteger.ZERO;
        keyShare = BigInteger.ZERO;
        seedHalves.values().forEach(h -> Arrays.fill(h, (byte) 0));
        seedHalves.clear();
        zeroTerms.clear();
        receivers.values().forEach(MultiplicationReceiver::wipe);
        senderShares.clear();
    }

    /** Every round takes a broadcast and a direct message from every other signer. */
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

    /**
     * Round 1 in: session contributions and zero-share seed halves. Fixes the run session and this
     * party's re-randomised key share. Out: nonce commitment, multiplication requests.
     */
    private final class AwaitContributions extends PresignRound {
        @Override
        public Transition<O> process(Inbox inbox) {
            SortedMap<Integer, byte[]> contributions = new TreeMap<>();
            contributions.put(self, contribution);
            for (int j : peers) {
                SessionContribution c = inbox.broadcast(j, SessionContribution::decode);
                if (!MessageDigest.isEqual(c.binding(), contributionBinding(j, c.contribution()))) {
                    throw ProtocolAbort.blame(j, "session contribution belongs to another run (session, key, signers or message differ)");
                }
                // ours is fresh: a peer that sends it back is replaying it
                if (Arrays.equals(c.contribution(), contribution)) throw ProtocolAbort.blame(j, "session contribution repeats this party's own");
                contributions.put(j, c.contribution());
            }
            // equal contributions of two peers: one copied the other, and nothing here shows
            // which; the one whose contribution was copied names the copier (check above)
            List<Integer> order = new ArrayList<>(peers);
            for (int a = 0; a < order.size(); a++) {
                for (int b = a + 1; b < order.size(); b++) {
                    if (Arrays.equals(contributions.get(order.get(a)), contributions.get(order.get(b)))) {
                        throw ProtocolAbort.unattributed("parties " + order.get(a) + " and " + order.get(b) + " sent the same session contribution");
                    }
                }
            }
            run = runSession(label(), session, contributions);

            BigInteger zeta = BigInteger.ZERO;
            for (int j : peers) {
                byte[] theirs = inbox.direct(j, ZeroSeed::decode).seed();
                byte[] mine = seedHalves.get(j);
                BigInteger term = self < j ? pairTerm(self, j, mine, theirs) : pairTerm(j, self, theirs, mine).negate().mod(Q);
                Arrays.fill(theirs, (byte) 0);
                zeroTerms.put(j, term);
                zeta = zeta.add(term);
            }
            seedHalves.values().forEach(h -> Arrays.fill(h, (byte) 0));
            seedHalves.clear();

            instanceKey = G.randomScalar(random);
            phi = G.randomScalar(random);
            keyShare = Lagrange.atZero(Q, self, signers).multiply(share.secret()).add(zeta).mod(Q);
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
            return Transition.next(new AwaitCommitments(), Outgoing.both(new NonceCommitment(commitments.get(self), run).encode(), direct));
        }
    }

    /** Round 2 in: nonce commitments and multiplication requests. Out: nonce reveal with zero-share terms, multiplication responses. */
    private final class AwaitCommitments extends PresignRound {
        @Override
        public Transition<O> process(Inbox inbox) {
            // Round-1 equivocation: a signer that sent honest parties different contributions gives them
            // different run sessions, and their multiplications with each other would then fail the
            // OT-extension check, each blaming (and quarantining) the other. Every signer echoes its
            // run session; any difference stops the run here, before a check that blames. The echoes
            // do not show which signer equivocated (its round-1 broadcasts carry no signature this
            // layer can show to others), so no one is blamed.
            Map<Integer, NonceCommitment> nonceCommitments = new TreeMap<>();
            List<Integer> disagreeing = new ArrayList<>();
            for (int j : peers) {
                NonceCommitment c = inbox.broadcast(j, NonceCommitment::decode);
                nonceCommitments.put(j, c);
                if (!MessageDigest.isEqual(c.runEcho(), run)) disagreeing.add(j);
            }
            // with one peer no third signer exists that could have equivocated: the peer lied about its view
            if (!disagreeing.isEmpty() && peers.size() == 1) {
                throw ProtocolAbort.blame(disagreeing.get(0), "echoed another run session than the one both signers' round-1 contributions give");
            }
            if (!disagreeing.isEmpty()) {
                throw ProtocolAbort.unattributed("signers " + disagreeing + " derived another run session from round 1 than party " + self
                        + ": some signer sent different session contributions to different signers; no one is blamed");
            }
            Map<Integer, byte[]> direct = new HashMap<>();
            for (int j : peers) {
                commitments.put(j, nonceCommitments.get(j).digest());
                MultiplyRequest req = inbox.direct(j, MultiplyRequest::decode);
                MultiplicationSender.Result res = MultiplicationSender.respond(share.senderSeeds(j), multiplicationContext(self, j),
                        req.request(), instanceKey, keyShare, random, j);
                senderShares.put(j, res.shares());
                BigInteger psi = phi.subtract(receivers.get(j).chi()).mod(Q);
                direct.put(j, new MultiplyResponse(res.message(), G.multiplyBase(res.shares()[0]), G.multiplyBase(res.shares()[1]), psi).encode());
            }
            List<Secp256k1.Point> terms = new ArrayList<>();
            for (int j : peers) terms.add(G.multiplyBase(zeroTerms.get(j)));
            return Transition.next(new AwaitReveals(), Outgoing.both(new NonceReveal(instancePoint, salt, terms).encode(), direct));
        }
    }

    /** Round 3 in: reveals and multiplication responses, all checked. Output: this party's presignature. */
    private final class AwaitReveals extends PresignRound {
        @Override
        public Transition<O> process(Inbox inbox) {
            // the zero-share terms by pair: terms.get(j).get(k) is ζ_{j,k}·G as j published it
            Map<Integer, Map<Integer, Secp256k1.Point>> terms = new TreeMap<>();
            Map<Integer, NonceReveal> reveals = new TreeMap<>();
            for (int j : peers) {
                NonceReveal reveal = inbox.broadcast(j, NonceReveal::decode);
                if (!MessageDigest.isEqual(nonceCommitment(j, reveal.instanceKey(), reveal.salt()), commitments.get(j))) {
                    throw ProtocolAbort.blame(j, "instance key does not match its commitment");
                }
                if (reveal.zeroTerms().size() != signers.size() - 1) throw ProtocolAbort.blame(j, "nonce reveal carries " + reveal.zeroTerms().size()
                        + " zero-share terms, expected " + (signers.size() - 1));
                Map<Integer, Secp256k1.Point> byPeer = new TreeMap<>();
                int at = 0;
                for (int k : signers) if (k != j) byPeer.put(k, reveal.zeroTerms().get(at++));
                // our pair's term: both of us derive it from the same two seed halves
                if (!byPeer.get(self).equals(G.multiplyBase(zeroTerms.get(j).negate().mod(Q)))) {
                    throw ProtocolAbort.blame(j, "zero-share term for its pair with party " + self + " does not match the pair's seeds");
                }
                terms.put(j, byPeer);
                reveals.put(j, reveal);
            }
            // a pair of two other signers whose terms do not cancel: one of them cheated, and each
            // of the two can tell which (it holds the pair's seeds), but we cannot
            List<Integer> order = new ArrayList<>(peers);
            for (int a = 0; a < order.size(); a++) {
                for (int b = a + 1; b < order.size(); b++) {
                    int j = order.get(a);
                    int k = order.get(b);
                    if (!terms.get(j).get(k).add(terms.get(k).get(j)).isIdentity()) {
                        throw ProtocolAbort.unattributed("the zero-share terms of parties " + j + " and " + k + " do not cancel (one of them cheated)");
                    }
                }
            }
            Secp256k1.Point bigR = instancePoint;
            Secp256k1.Point keyCheck = G.multiplyBase(keyShare);
            BigInteger phiSum = phi;
            BigInteger uAcc = BigInteger.ZERO;
            BigInteger vAcc = BigInteger.ZERO;
            for (int j : peers) {
                NonceReveal reveal = reveals.get(j);
                MultiplyResponse resp = inbox.direct(j, MultiplyResponse::decode);
                MultiplicationReceiver receiver = receivers.get(j);
                BigInteger[] d = receiver.finish(resp.message());
                BigInteger chi = receiver.chi();
                // Γ checks (DKLs23, protocol 3.6, step 6): the sender used R_j's discrete log and its
                // re-randomised key share λ_j·x_j + ζ_j, whose public image is λ_j·X_j + Σ_k ζ_{j,k}·G
                if (!reveal.instanceKey().multiply(chi).subtract(resp.gammaU()).equals(G.multiplyBase(d[0]))) {
                    throw ProtocolAbort.blame(j, "multiplication input does not match its instance key");
                }
                Secp256k1.Point publicShare = share.publicShare(j).multiply(Lagrange.atZero(Q, j, signers));
                for (Secp256k1.Point t : terms.get(j).values()) publicShare = publicShare.add(t);
                if (!publicShare.multiply(chi).subtract(resp.gammaV()).equals(G.multiplyBase(d[1]))) {
                    throw ProtocolAbort.blame(j, "multiplication input does not match its public key share");
                }
                keyCheck = keyCheck.add(publicShare);
                bigR = bigR.add(reveal.instanceKey());
                phiSum = phiSum.add(resp.psi());
                BigInteger[] c = senderShares.get(j);
                uAcc = uAcc.add(c[0]).add(d[0]);
                vAcc = vAcc.add(c[1]).add(d[1]);
                receiver.wipe();
            }
            // implied by the checks above when our own share is right (the terms cancel, and the
            // Lagrange-weighted shares interpolate to the key); fails on a stale share of our own
            if (!keyCheck.equals(share.publicKeyPoint())) throw ProtocolAbort.unattributed("the re-randomised key shares do not add up to the public key");
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
