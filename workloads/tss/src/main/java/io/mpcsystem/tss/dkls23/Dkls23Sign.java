package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.dkls23.SignMessages.MultiplyRequest;
import io.mpcsystem.tss.dkls23.SignMessages.MultiplyResponse;
import io.mpcsystem.tss.dkls23.SignMessages.NonceCommitment;
import io.mpcsystem.tss.dkls23.SignMessages.NonceReveal;
import io.mpcsystem.tss.dkls23.SignMessages.SignatureShare;
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
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * DKLs23 threshold ECDSA signing (Doerner, Kondi, Lee, shelat, S&P 2024, protocol 3.6) for one
 * party of the signer set, in three rounds.
 *
 * <p>Each signer i samples an instance key r_i (R_i = r_i·G, committed in round 1 and opened in
 * round 2) and an inversion mask φ_i. For every ordered pair (i, j) a two-party random vector OLE
 * gives i (as sender, inputs r_i and its Lagrange-weighted key share) and j (as receiver, random
 * χ) additive shares of χ·r_i and χ·sk_i; j sends ψ = φ_j − χ to convert them into shares of
 * r_i·φ_j and sk_i·φ_j. The receiver checks the sender's inputs against R_i and its public key
 * share through Γ^u and Γ^v. Summing gives additive shares u of r·φ and w of (H(m) + r_x·sk)·φ,
 * and s = w / u.
 *
 * <p>r_i and φ_i exist only inside this object's rounds and are wiped when the run ends; a
 * signing party cannot be restarted or serialised, so an instance key can never sign twice.
 */
final class Dkls23Sign {
    private static final Secp256k1 G = Secp256k1.INSTANCE;
    private static final BigInteger Q = G.order();
    private static final BigInteger HALF_Q = Q.shiftRight(1);

    private final SessionId session;
    private final Dkls23KeyShare share;
    private final int self;
    private final Set<Integer> signers;
    private final Set<Integer> peers = new TreeSet<>();
    private final byte[] messageHash;
    private final SecureRandom random;

    private BigInteger instanceKey;
    private BigInteger phi;
    private BigInteger keyShare;
    private Secp256k1.Point instancePoint;
    private byte[] salt;
    private final Map<Integer, byte[]> commitments = new TreeMap<>();
    private final Map<Integer, MultiplicationReceiver> receivers = new TreeMap<>();
    private final Map<Integer, BigInteger[]> senderShares = new TreeMap<>();

    private Dkls23Sign(SessionId session, Dkls23KeyShare share, Set<Integer> signers, byte[] messageHash, SecureRandom random) {
        this.session = session;
        this.share = share;
        this.self = share.index();
        this.signers = new TreeSet<>(signers);
        this.messageHash = messageHash.clone();
        this.random = random;
        for (int j : this.signers) if (j != self) peers.add(j);
    }

    static ProtocolParty<Signature> start(SessionId session, Dkls23KeyShare share, Set<Integer> signers, byte[] messageHash, SecureRandom random) {
        if (messageHash.length != 32) throw new IllegalArgumentException("DKLs23 signs a 32-byte hash, got " + messageHash.length + " bytes");
        if (signers.size() != share.threshold()) throw new IllegalArgumentException("need exactly " + share.threshold() + " signers, got " + signers.size());
        if (!signers.contains(share.index())) throw new IllegalArgumentException("the signer set must contain this party (" + share.index() + ")");
        for (int j : signers) if (j < 1 || j > share.parties()) throw new IllegalArgumentException("signer " + j + " is not a party of this key");
        return new Dkls23Sign(session, share, signers, messageHash, random).begin();
    }

    private Transcript binding(String step) {
        Transcript t = Transcript.of("mpc-system/dkls23/v1/sign/" + step).append("session", session.bytes())
                .append("public-key", share.publicKey()).append("count", signers.size());
        for (int j : signers) t.append("signer", j);
        return t.append("message", messageHash);
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

    private ProtocolParty<Signature> begin() {
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

    private abstract class SignRound implements Round<Signature> {
        @Override
        public void wipe() {
            wipeAll();
        }
    }

    /** Round 1 in: nonce commitments and multiplication requests. Out: nonce reveal, multiplication responses. */
    private final class AwaitCommitments extends SignRound {
        @Override
        public Expectation expects() {
            return Expectation.bothFrom(peers);
        }

        @Override
        public Transition<Signature> process(Inbox inbox) {
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

    /** Round 2 in: reveals and multiplication responses, all checked. Out: the signature shares u_i, w_i. */
    private final class AwaitReveals extends SignRound {
        @Override
        public Expectation expects() {
            return Expectation.bothFrom(peers);
        }

        @Override
        public Transition<Signature> process(Inbox inbox) {
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
            BigInteger rx = bigR.affineX().mod(Q);
            if (rx.signum() == 0) throw ProtocolAbort.unattributed("the joint instance key has r = 0");
            BigInteger u = instanceKey.multiply(phiSum).add(uAcc).mod(Q);
            BigInteger v = keyShare.multiply(phiSum).add(vAcc).mod(Q);
            BigInteger w = new BigInteger(1, messageHash).multiply(phi).add(rx.multiply(v)).mod(Q);
            wipeAll();
            return Transition.next(new AwaitSignatureShares(bigR, u, w), Outgoing.broadcast(new SignatureShare(u, w).encode()));
        }
    }

    /** Round 3 in: everybody's u_j, w_j. Output: the verified, low-s signature with its recovery id. */
    private final class AwaitSignatureShares extends SignRound {
        private final Secp256k1.Point bigR;
        private BigInteger u;
        private BigInteger w;

        AwaitSignatureShares(Secp256k1.Point bigR, BigInteger u, BigInteger w) {
            this.bigR = bigR;
            this.u = u;
            this.w = w;
        }

        @Override
        public Expectation expects() {
            return Expectation.broadcastFrom(peers);
        }

        @Override
        public Transition<Signature> process(Inbox inbox) {
            for (int j : peers) {
                SignatureShare s = inbox.broadcast(j, SignatureShare::decode);
                u = u.add(s.u());
                w = w.add(s.w());
            }
            u = u.mod(Q);
            if (u.signum() == 0) throw ProtocolAbort.unattributed("sum of u shares is zero");
            BigInteger r = bigR.affineX().mod(Q);
            BigInteger s = w.multiply(u.modInverse(Q)).mod(Q);
            int recovery = (bigR.hasOddY() ? 1 : 0) | (bigR.affineX().compareTo(Q) >= 0 ? 2 : 0);
            if (s.compareTo(HALF_Q) > 0) {
                s = Q.subtract(s);
                recovery ^= 1;
            }
            byte[] sig = new byte[64];
            System.arraycopy(G.encodeScalar(r), 0, sig, 0, 32);
            System.arraycopy(G.encodeScalar(s), 0, sig, 32, 32);
            Signature signature = new Signature(sig, OptionalInt.of(recovery));
            // the last round carries no proof: a wrong u_j or w_j only shows as an invalid signature
            if (!EcdsaVerifier.verify(share.publicKey(), messageHash, signature)) {
                throw ProtocolAbort.unattributed("the combined signature does not verify: a signer sent a wrong signature share");
            }
            return Transition.done(signature);
        }

        @Override
        public void wipe() {
            u = BigInteger.ZERO;
            w = BigInteger.ZERO;
        }
    }
}
