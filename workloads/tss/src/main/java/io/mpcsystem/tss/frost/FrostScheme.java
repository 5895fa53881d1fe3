package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.ThresholdScheme;
import io.mpcsystem.tss.encoding.MalformedEncodingException;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.mpcsystem.tss.protocol.Transition;
import java.security.SecureRandom;
import java.util.Set;

/** FROST (RFC 9591) as a {@link ThresholdScheme}: Pedersen DKG, zero-sharing refresh, two-round signing. */
public final class FrostScheme implements ThresholdScheme<FrostKeyShare> {
    public static final FrostScheme ED25519 = new FrostScheme(FrostCiphersuite.ED25519, "ed25519", new JdkEd25519Verifier());
    public static final FrostScheme SECP256K1 = new FrostScheme(FrostCiphersuite.SECP256K1, "secp256k1", new BouncyCastleSchnorrVerifier());

    private final FrostCiphersuite suite;
    private final String curve;
    private final IndependentVerifier verifier;

    private FrostScheme(FrostCiphersuite suite, String curve, IndependentVerifier verifier) {
        this.suite = suite;
        this.curve = curve;
        this.verifier = verifier;
    }

    public FrostCiphersuite suite() {
        return suite;
    }

    @Override
    public String id() {
        return suite.schemeId();
    }

    @Override
    public String curve() {
        return curve;
    }

    @Override
    public ProtocolParty<FrostKeyShare> keygen(SessionId session, int self, int threshold, int parties, SecureRandom random) {
        return FrostDkg.keygen(suite, session, self, threshold, parties, random);
    }

    @Override
    public ProtocolParty<FrostKeyShare> refresh(SessionId session, FrostKeyShare share, SecureRandom random) {
        requireSuite(share);
        return FrostDkg.refresh(session, share, random);
    }

    /**
     * A single-use signing party: its nonces are drawn here, kept only in its first round and
     * wiped once its signature share is computed.
     */
    @Override
    public ProtocolParty<Signature> sign(SessionId session, FrostKeyShare share, Set<Integer> signers, byte[] message, SecureRandom random) {
        requireSuite(share);
        if (signers.size() != share.threshold()) throw new IllegalArgumentException("need exactly " + share.threshold() + " signers");
        if (!signers.contains(share.index())) throw new IllegalArgumentException("signers must include this party");
        for (int s : signers) if (s < 1 || s > share.parties()) throw new IllegalArgumentException("no party " + s);
        FrostSigningParams params = new FrostSigningParams(suite, share.index(), signers, message, share.groupPublicKey(), share.verifyingShares());
        SigningNonces nonces = SigningNonces.generate(suite, share.secret(), random);
        FrostCommitRound first = new FrostCommitRound(params, share.secret(), nonces);
        return new ProtocolParty<>(share.index(), first, Transition.Outgoing.broadcast(first.commitment().encode(suite)));
    }

    @Override
    public FrostKeyShare decodeShare(byte[] encoded) {
        FrostKeyShare share = FrostKeyShare.decode(encoded);
        if (share.suite() != suite) throw new MalformedEncodingException("key share is for " + share.scheme() + ", not " + id());
        return share;
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, Signature signature) {
        return verifier.verify(publicKey, message, signature.bytes());
    }

    private void requireSuite(FrostKeyShare share) {
        if (share.suite() != suite) throw new IllegalArgumentException("key share is for " + share.scheme() + ", not " + id());
    }

    @Override
    public String toString() {
        return "FrostScheme[" + id() + "]";
    }
}
