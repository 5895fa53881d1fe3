package io.mpcsystem.party;

import com.google.protobuf.ByteString;
import io.mpcsystem.proto.SignedBytes;
import io.mpcsystem.proto.coordinator.v1.Failure;
import io.mpcsystem.proto.coordinator.v1.ReportOutcomeRequest;
import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.Success;
import io.mpcsystem.proto.router.v1.Envelope;
import io.mpcsystem.tss.KeyShare;
import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.ThresholdScheme;
import io.mpcsystem.tss.dkls23.Dkls23KeyShare;
import io.mpcsystem.tss.dkls23.Dkls23Presignature;
import io.mpcsystem.tss.dkls23.Dkls23Scheme;
import io.mpcsystem.tss.dkls23.Dkls23SignatureShare;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.ProtocolParty;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Runs one coordinator session on this party: builds the protocol party the session's kind
 * asks for (loading the key share for sign and refresh), runs it over the router, stores what
 * key generation or refresh produced, and returns the signed report for the coordinator.
 */
public final class SessionExecutor {
    private final PartyIdentity identity;
    private final PartyShares shares;
    private final PeerQuarantine quarantine;
    private final SecureRandom random;
    private final Clock clock;
    private final SessionAdmission admission;
    private final SessionLedger ledger;
    /** Sessions running protocol rounds now, so that a peer quarantined by one stops the others. */
    private final java.util.Map<String, Running> running = new java.util.concurrent.ConcurrentHashMap<>();

    private record Running(String keyId, Set<String> parties, BlockingQueue<Envelope> inbound,
                           java.util.concurrent.atomic.AtomicReference<String> abort) {
    }

    public SessionExecutor(PartyIdentity identity, PartyShares shares, PeerQuarantine quarantine, SessionAdmission admission, SessionLedger ledger,
                           SecureRandom random, Clock clock) {
        this.identity = identity;
        this.shares = shares;
        this.quarantine = quarantine;
        this.admission = admission;
        this.ledger = ledger;
        this.random = random;
        this.clock = clock;
    }

    /** Wakes a run waiting for envelopes so it sees its abort; never delivered as a message. */
    private static final Envelope WAKE_UP = Envelope.newBuilder().setRound(-1).build();

    /**
     * A peer failed an OT-extension check with this party for a key: every session of that key
     * with that peer still running stops now (each further run could teach it another bit), not
     * only the ones that start later.
     */
    private void quarantineAndStop(String keyId, String peer, String sessionId) {
        quarantine.add(keyId, peer);
        for (var e : running.entrySet()) {
            Running r = e.getValue();
            if (e.getKey().equals(sessionId) || !r.keyId().equals(keyId) || !r.parties().contains(peer)) continue;
            r.abort().compareAndSet(null, "stopped: " + peer + " failed an OT-extension check with this party in session " + sessionId);
            r.inbound().offer(WAKE_UP);
        }
    }

    /** The protocol-level session id: all parties derive the same one from the coordinator's id. */
    static SessionId protocolSession(String sessionId) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update("mpc-system/session/v1\n".getBytes(StandardCharsets.UTF_8));
            md.update(sessionId.getBytes(StandardCharsets.UTF_8));
            return new SessionId(md.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public ReportOutcomeRequest execute(Session session, BlockingQueue<Envelope> inbound, Consumer<java.util.List<Envelope>> publish) throws InterruptedException {
        ReportOutcomeRequest.Builder report = ReportOutcomeRequest.newBuilder().setSessionId(session.getSessionId()).setPartyId(identity.partyId());
        Roster roster = Roster.fromProto(session.getRosterList());
        Running self = null;
        try {
            admission.admit(session);
            if (!ledger.firstRun(session.getSessionId())) {
                throw new IllegalStateException("this party has run session " + session.getSessionId() + " before; a session id is run once");
            }
            java.util.Set<String> members = new java.util.TreeSet<>();
            roster.indices().forEach(i -> members.add(roster.byIndex(i).orElseThrow().partyId()));
            self = new Running(session.getKeyId(), members, inbound, new java.util.concurrent.atomic.AtomicReference<>());
            running.put(session.getSessionId(), self);
            EnvelopeCodec codec = new EnvelopeCodec(identity, session.getSessionId(), roster, random);
            Instant deadline = Instant.ofEpochSecond(session.getDeadline().getSeconds(), session.getDeadline().getNanos());
            try {
                report.setSuccess(run(Schemes.byId(session.getProtocol()), session, codec, inbound, publish, deadline, self.abort()::get));
            } finally {
                codec.wipe();
            }
        } catch (ProtocolAbort abort) {
            Failure.Builder f = Failure.newBuilder().setReason(abort.getMessage());
            abort.culprit().ifPresent(i -> roster.byIndex(i).ifPresent(m -> f.setCulpritPartyId(m.partyId())));
            if (abort.pairwiseSetupBurned() && !f.getCulpritPartyId().isEmpty()) quarantineAndStop(session.getKeyId(), f.getCulpritPartyId(), session.getSessionId());
            report.setFailure(f);
        } catch (RuntimeException e) {
            // e.g. the share is missing, or the router stayed unreachable until the deadline
            report.setFailure(Failure.newBuilder().setReason("cannot run session: " + e.getMessage()));
        } finally {
            if (self != null) running.remove(session.getSessionId());
        }
        return sign(report.build());
    }

    private <S extends KeyShare> Success run(ThresholdScheme<S> scheme, Session session, EnvelopeCodec codec,
                                             BlockingQueue<Envelope> inbound, Consumer<java.util.List<Envelope>> publish, Instant deadline,
                                             java.util.function.Supplier<String> abort) throws InterruptedException {
        SessionId sid = protocolSession(session.getSessionId());
        int self = codec.selfIndex();
        switch (session.getKind()) {
            case KEYGEN -> {
                ProtocolParty<S> party = scheme.keygen(sid, self, session.getThreshold(), session.getParties(), random);
                S share = new SessionRun<>(party, codec, publish, clock, abort).run(inbound, deadline);
                try {
                    shares.save(session.getKeyId(), share);
                    shares.keyGenerated(session.getKeyId());
                    return Success.newBuilder().setPublicKey(ByteString.copyFrom(share.publicKey())).build();
                } finally {
                    share.wipe();
                }
            }
            case REFRESH -> {
                S old = loadShare(scheme, session);
                S share;
                try {
                    share = new SessionRun<>(scheme.refresh(sid, old, random), codec, publish, clock, abort).run(inbound, deadline);
                } finally {
                    old.wipe();
                }
                try {
                    // staged only: it replaces the old share once the coordinator reports that every party succeeded
                    shares.stageRefreshed(session.getKeyId(), session.getSessionId(), share);
                    return Success.newBuilder().setPublicKey(ByteString.copyFrom(share.publicKey())).build();
                } finally {
                    share.wipe();
                }
            }
            case SIGN -> {
                refuseQuarantined(session, codec.roster());
                S share = loadShare(scheme, session);
                try {
                    Set<Integer> signers = new TreeSet<>(codec.roster().indices());
                    ProtocolParty<Signature> party = scheme.sign(sid, share, signers, session.getMessage().toByteArray(), random);
                    Signature sig = new SessionRun<>(party, codec, publish, clock, abort).run(inbound, deadline);
                    Success.Builder s = Success.newBuilder().setPublicKey(ByteString.copyFrom(share.publicKey()))
                            .setSignature(ByteString.copyFrom(sig.bytes()));
                    sig.recoveryId().ifPresent(s::setRecoveryId);
                    return s.build();
                } finally {
                    share.wipe();
                }
            }
            case PRESIGN -> {
                if (!(scheme instanceof Dkls23Scheme dkls)) throw new IllegalStateException("presignatures exist for dkls23 keys only");
                refuseQuarantined(session, codec.roster());
                Dkls23KeyShare share = (Dkls23KeyShare) loadShare(scheme, session);
                try {
                    Set<Integer> signers = new TreeSet<>(codec.roster().indices());
                    Dkls23Presignature presignature = new SessionRun<>(dkls.presign(sid, share, signers, random), codec, publish, clock, abort).run(inbound, deadline);
                    try {
                        shares.savePresignature(session.getKeyId(), session.getSessionId(), presignature);
                        return Success.newBuilder().setPublicKey(ByteString.copyFrom(share.publicKey()))
                                .setInstanceKey(ByteString.copyFrom(presignature.instanceKey())).build();
                    } finally {
                        presignature.wipe();
                    }
                } finally {
                    share.wipe();
                }
            }
            default -> throw new IllegalArgumentException("unknown session kind " + session.getKind());
        }
    }

    /** A SIGN session that names a presignature: no router and no rounds; this signer's share goes to the coordinator. */
    public static boolean usesPresignature(Session session) {
        return session.getKind() == io.mpcsystem.proto.coordinator.v1.SessionKind.SIGN && !session.getPresignatureId().isEmpty();
    }

    /**
     * Signs with a stored presignature: takes it out of the store (deleted before anything is
     * released), checks that the session's signers are the ones it was made with, and reports
     * this signer's share (u_i, w_i) for the coordinator to combine.
     */
    public ReportOutcomeRequest executeWithPresignature(Session session) {
        ReportOutcomeRequest.Builder report = ReportOutcomeRequest.newBuilder().setSessionId(session.getSessionId()).setPartyId(identity.partyId());
        try {
            if (!Dkls23Scheme.ID.equals(session.getProtocol())) throw new IllegalStateException("presignatures exist for dkls23 keys only");
            Roster roster = Roster.fromProto(session.getRosterList());
            admission.admit(session);
            // the authorization names this session: recorded before anything is signed, it is never used again
            if (!ledger.firstRun(session.getSessionId())) {
                throw new IllegalStateException("this party has run session " + session.getSessionId() + " before; a session id is run once");
            }
            refuseQuarantined(session, roster);
            Dkls23Presignature presignature = shares.takePresignature(session.getKeyId(), session.getPresignatureId())
                    .orElseThrow(() -> new IllegalStateException("this party holds no presignature " + session.getPresignatureId()
                            + " of key " + session.getKeyId() + " (used already, or discarded by a refresh)"));
            try {
                int self = roster.byParty(identity.partyId()).orElseThrow().index();
                if (presignature.index() != self || !presignature.signers().equals(new TreeSet<>(roster.indices()))) {
                    throw new IllegalStateException("presignature " + session.getPresignatureId() + " was made by other signers than this session's");
                }
                Dkls23SignatureShare part = presignature.signatureShare(session.getMessage().toByteArray());
                report.setSuccess(Success.newBuilder().setPublicKey(ByteString.copyFrom(presignature.publicKey()))
                        .setSignatureShare(ByteString.copyFrom(part.encode())));
            } finally {
                presignature.wipe();
            }
        } catch (RuntimeException e) {
            // a missing or mismatched presignature, a bad hash: the session fails, nothing was signed twice
            report.setFailure(Failure.newBuilder().setReason("cannot sign with presignature: " + e.getMessage()));
        }
        return sign(report.build());
    }

    private void refuseQuarantined(Session session, Roster roster) {
        for (int i : roster.indices()) {
            String peer = roster.byIndex(i).orElseThrow().partyId();
            if (quarantine.peers(session.getKeyId()).contains(peer)) {
                throw new IllegalStateException("will not sign with " + peer + " using key " + session.getKeyId()
                        + " until the key is refreshed: an earlier OT-extension check with it failed");
            }
        }
    }

    private <S extends KeyShare> S loadShare(ThresholdScheme<S> scheme, Session session) {
        S share = shares.load(session.getKeyId(), scheme)
                .orElseThrow(() -> new IllegalStateException("this party holds no share of key " + session.getKeyId()));
        if (share.index() != Roster.fromProto(session.getRosterList()).byParty(identity.partyId()).orElseThrow().index()) {
            share.wipe();
            throw new IllegalStateException("the roster gives this party another index than its share of key " + session.getKeyId());
        }
        return share;
    }

    private ReportOutcomeRequest sign(ReportOutcomeRequest unsigned) {
        return unsigned.toBuilder().setSignature(ByteString.copyFrom(EnvelopeCodec.sign(identity, SignedBytes.report(unsigned)))).build();
    }
}
