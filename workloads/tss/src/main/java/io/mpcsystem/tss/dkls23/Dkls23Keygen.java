package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.dkls23.KeygenMessages.BaseOtDigests;
import io.mpcsystem.tss.dkls23.KeygenMessages.BaseOtOpenings;
import io.mpcsystem.tss.dkls23.KeygenMessages.BaseOtStart;
import io.mpcsystem.tss.dkls23.KeygenMessages.Commitment;
import io.mpcsystem.tss.dkls23.KeygenMessages.Reveal;
import io.mpcsystem.tss.dkls23.KeygenMessages.ShareAndChoices;
import io.mpcsystem.tss.dkls23.KeygenMessages.ViewConfirmation;
import io.mpcsystem.tss.dkls23.ot.BaseOtMessages;
import io.mpcsystem.tss.dkls23.ot.BaseOtReceiver;
import io.mpcsystem.tss.dkls23.ot.BaseOtSender;
import io.mpcsystem.tss.dkls23.ot.ExtensionReceiverSeeds;
import io.mpcsystem.tss.dkls23.ot.ExtensionSenderSeeds;
import io.mpcsystem.tss.group.Feldman;
import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.group.Polynomial;
import io.mpcsystem.tss.group.SchnorrProof;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DKLs23 distributed key generation, and refresh, for one party (five rounds).
 *
 * <p>Key shares come from a Feldman VSS in which every party deals a random polynomial; each
 * dealer first commits to its Feldman vector and proof of knowledge of the constant term, then
 * opens it, so no party can choose its contribution after seeing the others' (no key bias).
 * Every share is checked against its dealer's commitments, every proof verified, and all parties
 * compare, dealer by dealer, hashes of the broadcasts they saw, so a dealer who sent different
 * vectors to different parties is caught; only a party whose own messages are inconsistent is
 * blamed. Alongside, each ordered pair of parties runs {@code KAPPA} verified base OTs
 * that seed the OT extension of the signing multiplications.
 *
 * <p>A refresh is the same protocol with polynomials whose constant term is zero: the key stays,
 * every share changes, and fresh base OTs replace the old ones, so old shares are useless.
 */
final class Dkls23Keygen {
    private static final Secp256k1 G = Secp256k1.INSTANCE;

    private final SessionId session;
    private final int self;
    private final int threshold;
    private final int parties;
    private final Dkls23KeyShare previous;
    private final SecureRandom random;
    private final Set<Integer> peers = new TreeSet<>();

    private Polynomial polynomial;
    private final Map<Integer, BaseOtSender> otSenders = new TreeMap<>();
    private final Map<Integer, BaseOtReceiver> otReceivers = new TreeMap<>();
    private final Map<Integer, byte[]> commitDigests = new TreeMap<>();
    private final Map<Integer, Reveal> reveals = new TreeMap<>();
    private final Map<Integer, ExtensionReceiverSeeds> receiverSeeds = new TreeMap<>();
    private final Map<Integer, ExtensionSenderSeeds> senderSeeds = new TreeMap<>();
    private BigInteger secret;
    private List<Secp256k1.Point> publicShares;
    private Secp256k1.Point publicKey;
    private ViewConfirmation view;

    private Dkls23Keygen(SessionId session, int self, int threshold, int parties, Dkls23KeyShare previous, SecureRandom random) {
        this.session = session;
        this.self = self;
        this.threshold = threshold;
        this.parties = parties;
        this.previous = previous;
        this.random = random;
        for (int j = 1; j <= parties; j++) if (j != self) peers.add(j);
    }

    static ProtocolParty<Dkls23KeyShare> keygen(SessionId session, int self, int threshold, int parties, SecureRandom random) {
        if (parties < 2 || parties > 255) throw new IllegalArgumentException("parties must be between 2 and 255");
        if (threshold < 1 || threshold > parties) throw new IllegalArgumentException("threshold must be between 1 and parties");
        if (self < 1 || self > parties) throw new IllegalArgumentException("party index must be between 1 and parties");
        return new Dkls23Keygen(session, self, threshold, parties, null, random).start();
    }

    static ProtocolParty<Dkls23KeyShare> refresh(SessionId session, Dkls23KeyShare share, SecureRandom random) {
        return new Dkls23Keygen(session, share.index(), share.threshold(), share.parties(), share, random).start();
    }

    private boolean isRefresh() {
        return previous != null;
    }

    private ProtocolParty<Dkls23KeyShare> start() {
        BigInteger constant = isRefresh() ? BigInteger.ZERO : G.randomScalar(random);
        polynomial = Polynomial.random(G, constant, threshold - 1, random);
        List<GroupElement> commitments = new ArrayList<>(polynomial.commitments());
        SchnorrProof proof = null;
        if (isRefresh()) {
            commitments.remove(0);
        } else {
            proof = SchnorrProof.prove(G, proofTranscript(self), constant, commitments.get(0), random);
        }
        byte[] salt = new byte[32];
        random.nextBytes(salt);
        Reveal mine = new Reveal(salt, commitments, proof);
        reveals.put(self, mine);
        commitDigests.put(self, commitDigest(self, mine));

        Map<Integer, byte[]> direct = new HashMap<>();
        for (int j : peers) {
            // in the pair (alice = j, bob = self) this party is the extension receiver, so the base-OT sender
            BaseOtSender sender = BaseOtSender.start(baseOtContext(j, self), j, random);
            otSenders.put(j, sender);
            direct.put(j, new BaseOtStart(sender.senderKey(random)).encode());
        }
        Outgoing first = Outgoing.both(new Commitment(commitDigests.get(self)).encode(), direct);
        return new ProtocolParty<>(self, new AwaitCommitments(), first);
    }

    private Transcript binding(String step) {
        Transcript t = Transcript.of("mpc-system/dkls23/v1/" + (isRefresh() ? "refresh/" : "keygen/") + step)
                .append("session", session.bytes()).append("threshold", threshold).append("parties", parties);
        if (isRefresh()) t.append("public-key", previous.publicKey()).append("generation", previous.generation());
        return t;
    }

    private Transcript proofTranscript(int party) {
        return binding("pok").append("party", party);
    }

    private byte[] commitDigest(int party, Reveal r) {
        Transcript t = binding("commit").append("party", party).append("salt", r.salt()).append("count", r.commitments().size());
        for (GroupElement c : r.commitments()) t.append("c", c.encode());
        t.append("proof", r.proof() == null ? new byte[0] : proofBytes(r.proof()));
        return t.digest();
    }

    private static byte[] proofBytes(SchnorrProof p) {
        io.mpcsystem.tss.encoding.CanonicalWriter w = io.mpcsystem.tss.encoding.CanonicalWriter.of(0);
        p.writeTo(G, w);
        return w.toByteArray();
    }

    private byte[] baseOtContext(int alice, int bob) {
        return binding("base-ot").append("alice", alice).append("bob", bob).digest();
    }

    /** The full Feldman vector of a dealer: in a refresh the constant term's commitment is the identity. */
    private List<GroupElement> fullVector(Reveal r) {
        if (!isRefresh()) return r.commitments();
        List<GroupElement> v = new ArrayList<>(r.commitments().size() + 1);
        v.add(G.identity());
        v.addAll(r.commitments());
        return v;
    }

    private void wipeAll() {
        if (polynomial != null) polynomial.wipe();
        otSenders.values().forEach(BaseOtSender::wipe);
        otReceivers.values().forEach(BaseOtReceiver::wipe);
        receiverSeeds.values().forEach(ExtensionReceiverSeeds::wipe);
        senderSeeds.values().forEach(ExtensionSenderSeeds::wipe);
        secret = BigInteger.ZERO;
    }

    private abstract class KeygenRound implements Round<Dkls23KeyShare> {
        @Override
        public void wipe() {
            wipeAll();
        }
    }

    /** Round 1 in: commitments and base-OT sender keys. Out: reveals, shares, base-OT choices. */
    private final class AwaitCommitments extends KeygenRound {
        @Override
        public Expectation expects() {
            return Expectation.bothFrom(peers);
        }

        @Override
        public Transition<Dkls23KeyShare> process(Inbox inbox) {
            Map<Integer, byte[]> direct = new HashMap<>();
            for (int j : peers) {
                commitDigests.put(j, inbox.broadcast(j, Commitment::decode).digest());
                BaseOtMessages.SenderKey key = inbox.direct(j, BaseOtStart::decode).key();
                // in the pair (alice = self, bob = j) this party chooses with its secret Δ
                var started = BaseOtReceiver.respond(baseOtContext(self, j), j, key, BaseOtReceiver.randomDelta(random), random);
                otReceivers.put(j, started.receiver());
                direct.put(j, new ShareAndChoices(polynomial.evaluate(j), started.choices()).encode());
            }
            return Transition.next(new AwaitReveals(), Outgoing.both(reveals.get(self).encode(), direct));
        }
    }

    /** Round 2 in: reveals and shares, all checked. Out: view confirmation, base-OT challenges. */
    private final class AwaitReveals extends KeygenRound {
        @Override
        public Expectation expects() {
            return Expectation.bothFrom(peers);
        }

        @Override
        public Transition<Dkls23KeyShare> process(Inbox inbox) {
            BigInteger sum = polynomial.evaluate(self);
            Map<Integer, byte[]> direct = new HashMap<>();
            for (int j : peers) {
                Reveal r = inbox.broadcast(j, Reveal::decode);
                if (!MessageDigest.isEqual(commitDigest(j, r), commitDigests.get(j))) throw ProtocolAbort.blame(j, "reveal does not match its commitment");
                int expected = isRefresh() ? threshold - 1 : threshold;
                if (r.commitments().size() != expected) throw ProtocolAbort.blame(j, "Feldman vector has " + r.commitments().size() + " entries, expected " + expected);
                if (isRefresh()) {
                    if (r.proof() != null) throw ProtocolAbort.blame(j, "refresh reveal carries a proof");
                } else if (r.proof() == null || !r.proof().verify(G, proofTranscript(j), r.commitments().get(0))) {
                    throw ProtocolAbort.blame(j, "proof of knowledge of the constant term is invalid");
                }
                reveals.put(j, r);
                ShareAndChoices sc = inbox.direct(j, ShareAndChoices::decode);
                if (!Feldman.verifyShare(G, fullVector(r), self, sc.share())) throw ProtocolAbort.blame(j, "share does not match the dealer's Feldman commitments");
                sum = sum.add(sc.share());
                direct.put(j, new BaseOtDigests(BaseOtDigests.CHALLENGE_TAG, otSenders.get(j).challenge(sc.choices())).encode());
            }
            polynomial.wipe();
            computeKey(sum);
            List<byte[]> digests = new ArrayList<>(parties);
            for (int j = 1; j <= parties; j++) {
                digests.add(binding("view").append("dealer", j).append("commit", commitDigests.get(j)).append("reveal", reveals.get(j).encode()).digest());
            }
            view = new ViewConfirmation(digests);
            return Transition.next(new AwaitConfirmations(), Outgoing.both(view.encode(), direct));
        }
    }

    private void computeKey(BigInteger shareSum) {
        BigInteger q = G.order();
        List<Secp256k1.Point> shares = new ArrayList<>(parties);
        for (int k = 1; k <= parties; k++) {
            GroupElement acc = isRefresh() ? previous.publicShare(k) : G.identity();
            for (int j = 1; j <= parties; j++) acc = acc.add(Feldman.evaluate(G, fullVector(reveals.get(j)), k));
            shares.add((Secp256k1.Point) acc);
        }
        GroupElement pk;
        if (isRefresh()) {
            pk = previous.publicKeyPoint();
            secret = previous.secret().add(shareSum).mod(q);
        } else {
            pk = G.identity();
            for (int j = 1; j <= parties; j++) pk = pk.add(reveals.get(j).commitments().get(0));
            secret = shareSum.mod(q);
        }
        if (pk.isIdentity()) throw ProtocolAbort.unattributed("the joint public key is the identity");
        for (Secp256k1.Point s : shares) if (s.isIdentity()) throw ProtocolAbort.unattributed("a public share is the identity");
        if (!G.multiplyBase(secret).equals(shares.get(self - 1))) throw ProtocolAbort.unattributed("own share does not match the public shares");
        publicShares = shares;
        publicKey = (Secp256k1.Point) pk;
    }

    /** Round 3 in: everybody's view hash and base-OT challenges. Out: base-OT responses. */
    private final class AwaitConfirmations extends KeygenRound {
        @Override
        public Expectation expects() {
            return Expectation.bothFrom(peers);
        }

        @Override
        public Transition<Dkls23KeyShare> process(Inbox inbox) {
            Map<Integer, ViewConfirmation> views = new TreeMap<>();
            for (int j : peers) {
                ViewConfirmation v = inbox.broadcast(j, ViewConfirmation::decode);
                if (v.digests().size() != parties) throw ProtocolAbort.blame(j, "view confirmation covers " + v.digests().size() + " dealers, expected " + parties);
                views.put(j, v);
            }
            // first the disagreements that prove who lied: what j reports about its own broadcasts
            // (its reveal to us and its confirmation contradict each other), or about ours (we know
            // what we sent, and the transport authenticates it)
            for (int j : peers) {
                if (!MessageDigest.isEqual(views.get(j).digest(j), view.digest(j))) {
                    throw ProtocolAbort.blame(j, "its broadcasts to us differ from what it confirms having sent (equivocation)");
                }
                if (!MessageDigest.isEqual(views.get(j).digest(self), view.digest(self))) {
                    throw ProtocolAbort.blame(j, "its view confirmation misreports our broadcasts");
                }
            }
            // a disagreement about a third dealer k: k equivocated or j misreports, and nothing
            // here shows which, so nobody is named (a dealer that confirms one version of its
            // broadcasts to everybody is named above by the party it deceived; one that also
            // equivocates in its confirmations is named by nobody, but the run still aborts)
            for (int j : peers) {
                for (int k : peers) {
                    if (k != j && !MessageDigest.isEqual(views.get(j).digest(k), view.digest(k))) {
                        throw ProtocolAbort.unattributed("parties " + j + " and " + self + " received different broadcasts from party " + k
                                + " (party " + k + " equivocated or party " + j + " misreports)");
                    }
                }
            }
            Map<Integer, byte[]> direct = new HashMap<>();
            for (int j : peers) {
                BaseOtMessages.Digests challenge = inbox.direct(j, b -> BaseOtDigests.decode(b, BaseOtDigests.CHALLENGE_TAG)).digests();
                direct.put(j, new BaseOtDigests(BaseOtDigests.RESPONSE_TAG, otReceivers.get(j).answer(challenge)).encode());
            }
            return Transition.next(new AwaitResponses(), Outgoing.direct(direct));
        }
    }

    /** Round 4 in: base-OT responses, checked. Out: base-OT openings. */
    private final class AwaitResponses extends KeygenRound {
        @Override
        public Expectation expects() {
            return Expectation.directFrom(peers);
        }

        @Override
        public Transition<Dkls23KeyShare> process(Inbox inbox) {
            Map<Integer, byte[]> direct = new HashMap<>();
            for (int j : peers) {
                BaseOtMessages.Digests responses = inbox.direct(j, b -> BaseOtDigests.decode(b, BaseOtDigests.RESPONSE_TAG)).digests();
                BaseOtSender sender = otSenders.get(j);
                direct.put(j, new BaseOtOpenings(sender.verify(responses)).encode());
                receiverSeeds.put(j, sender.seeds());
                sender.wipe();
            }
            return Transition.next(new AwaitOpenings(), Outgoing.direct(direct));
        }
    }

    /** Round 5 in: base-OT openings, checked. Output: the key share. */
    private final class AwaitOpenings extends KeygenRound {
        @Override
        public Expectation expects() {
            return Expectation.directFrom(peers);
        }

        @Override
        public Transition<Dkls23KeyShare> process(Inbox inbox) {
            for (int j : peers) {
                BaseOtMessages.Openings openings = inbox.direct(j, BaseOtOpenings::decode).openings();
                BaseOtReceiver receiver = otReceivers.get(j);
                senderSeeds.put(j, receiver.finish(openings));
                receiver.wipe();
            }
            int generation = isRefresh() ? previous.generation() + 1 : 0;
            Dkls23KeyShare share = new Dkls23KeyShare(self, threshold, parties, generation, secret, publicKey, publicShares, senderSeeds, receiverSeeds);
            secret = BigInteger.ZERO;
            return Transition.done(share);
        }
    }
}
