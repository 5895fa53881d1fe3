package io.mpcsystem.coordinator;

import io.micrometer.core.instrument.MeterRegistry;
import io.mpcsystem.proto.coordinator.v1.ReportOutcomeRequest;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.proto.coordinator.v1.SessionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** The coordinator's use cases: parties register, sessions are created, joined, reported on and timed out. */
@ApplicationScoped
public class SessionService {
    private static final Logger LOG = Logger.getLogger(SessionService.class);
    private static final Pattern PARTY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final PartyRegistry parties;
    private final KeyRegistry keys;
    private final SessionRepository sessions;
    private final RosterPlanner planner;
    private final InvitationHub invitations;
    private final MeterRegistry metrics;
    private final SessionEndings endings;
    private final PresignaturePool presignatures;
    private final PresignRefill refill;
    private final IdentityDirectory identities;

    public SessionService(PartyRegistry parties, KeyRegistry keys, SessionRepository sessions, RosterPlanner planner, InvitationHub invitations,
                          MeterRegistry metrics, SessionEndings endings, PresignaturePool presignatures, PresignRefill refill,
                          IdentityDirectory identities) {
        this.identities = identities;
        this.endings = endings;
        this.presignatures = presignatures;
        this.refill = refill;
        this.parties = parties;
        this.keys = keys;
        this.sessions = sessions;
        this.planner = planner;
        this.invitations = invitations;
        this.metrics = metrics;
    }

    public void register(io.mpcsystem.proto.coordinator.v1.RegisterPartyRequest request) {
        if (!request.hasIdentity()) throw CoordinatorException.invalid("identity is required");
        var id = request.getIdentity();
        String partyId = id.getPartyId();
        byte[] signingKey = id.getSigningKey().toByteArray();
        byte[] encryptionKey = id.getEncryptionKey().toByteArray();
        checkPartyId(partyId);
        if (signingKey.length != 32) throw CoordinatorException.invalid("signing_key must be a 32-byte Ed25519 public key");
        if (encryptionKey.length != 32) throw CoordinatorException.invalid("encryption_key must be a 32-byte X25519 public key");
        if (!PartySignature.valid(request, Instant.now())) {
            throw CoordinatorException.denied("the registration is not signed with the registered signing key, or its issued_at is more than "
                    + PartySignature.CLOCK_SKEW.toMinutes() + " minutes off");
        }
        PartyRegistry.Party party = new PartyRegistry.Party(partyId, signingKey, encryptionKey);
        parties.register(party);
        identities.publish(party);
        int dropped = presignatures.discardParty(partyId);
        LOG.infof("party %s registered%s", partyId, dropped == 0 ? "" : "; " + dropped + " presignatures it signed in were discarded");
    }

    /** Refuses a watch not signed by the party's registered key. */
    public void authenticateWatch(io.mpcsystem.proto.coordinator.v1.WatchSessionsRequest request) {
        checkPartyId(request.getPartyId());
        PartyRegistry.Party p = parties.find(request.getPartyId())
                .orElseThrow(() -> CoordinatorException.denied("party " + request.getPartyId() + " is not registered"));
        if (!PartySignature.valid(request, p.signingKey(), Instant.now())) {
            throw CoordinatorException.denied("the watch request is not signed by " + request.getPartyId() + "'s identity key, or is stale");
        }
    }

    static void checkPartyId(String partyId) {
        if (partyId == null || !PARTY_ID.matcher(partyId).matches()) {
            throw CoordinatorException.invalid("party_id must be 1-64 characters of letters, digits, '.', '_' or '-'");
        }
    }

    public SessionRecord create(SessionRequest request) {
        return create(request, created -> {
        });
    }

    /** Creates a session; {@code beforeAnnounce} sees it committed, before any party is invited. */
    public SessionRecord create(SessionRequest request, java.util.function.Consumer<SessionRecord> beforeAnnounce) {
        SessionRecord planned = planner.plan(request);
        boolean presignable = planned.kind() == SessionKind.SIGN && refill.serves(planned.protocol());
        SessionRecord created = sessions.inTransaction(c -> {
            SessionRecord s = planned;
            if (s.kind() == SessionKind.REFRESH) {
                refuseConcurrentRefresh(c, s.keyId());
                // made with the shares being replaced: the parties drop theirs when they promote
                presignatures.discardAll(c, s.keyId());
            }
            if (presignable) {
                var claimed = presignatures.claim(c, s.keyId(), planner::allOnline);
                if (claimed.isPresent()) s = planner.onPresignature(s, claimed.get());
            }
            if (sessions.exists(c, s.id())) throw CoordinatorException.conflict("session " + s.id() + " exists already: a request's authorization runs once");
            sessions.insert(c, s);
            return s;
        });
        metrics.counter("mpc_sessions_created", "kind", created.kind().name(), "presigned", String.valueOf(created.presignatureId() != null)).increment();
        beforeAnnounce.accept(created);
        invitations.announce(created);
        if (presignable) refill.signed(created.keyId());
        return created;
    }

    /**
     * One refresh of a key at a time: two running side by side would each stage a new generation,
     * and parties promoting them in different orders would end up on different generations. The
     * key's row is locked so that two coordinator replicas cannot both pass the check.
     */
    private static void refuseConcurrentRefresh(java.sql.Connection c, String keyId) throws java.sql.SQLException {
        try (java.sql.PreparedStatement lock = c.prepareStatement("SELECT key_id FROM keys WHERE key_id = ? FOR UPDATE")) {
            lock.setString(1, keyId);
            lock.executeQuery().close();
        }
        try (java.sql.PreparedStatement q = c.prepareStatement(
                "SELECT session_id FROM sessions WHERE key_id = ? AND kind = 'REFRESH' AND status IN ('PENDING', 'RUNNING') LIMIT 1")) {
            q.setString(1, keyId);
            try (java.sql.ResultSet r = q.executeQuery()) {
                if (r.next()) {
                    throw CoordinatorException.conflict("key " + keyId + " is being refreshed by session " + r.getString(1)
                            + "; one refresh at a time (try again when it has ended)");
                }
            }
        }
    }

    public SessionRecord get(String sessionId) {
        if (sessionId == null || sessionId.isBlank()) throw CoordinatorException.invalid("session_id is required");
        return sessions.find(sessionId).orElseThrow(() -> CoordinatorException.notFound("no session " + sessionId));
    }

    public SessionRecord join(io.mpcsystem.proto.coordinator.v1.JoinSessionRequest request) {
        String sessionId = request.getSessionId();
        String partyId = request.getPartyId();
        checkPartyId(partyId);
        if (sessionId == null || sessionId.isBlank()) throw CoordinatorException.invalid("session_id is required");
        return sessions.inTransaction(c -> {
            SessionRecord s = sessions.find(c, sessionId, true).orElseThrow(() -> CoordinatorException.notFound("no session " + sessionId));
            SessionRecord.Member member = s.member(partyId)
                    .orElseThrow(() -> CoordinatorException.denied("party " + partyId + " is not in the roster of session " + sessionId));
            if (!PartySignature.valid(request, member.signingKey())) throw CoordinatorException.denied("the join is not signed by " + partyId + "'s identity key");
            if (s.isTerminal()) return s;
            sessions.markJoined(c, sessionId, partyId);
            SessionRecord after = sessions.find(c, sessionId, false).orElseThrow();
            if (after.status() == SessionStatus.PENDING && after.members().stream().allMatch(m -> m.joinedAt() != null)) {
                sessions.setStatus(c, sessionId, SessionStatus.RUNNING);
                after = sessions.find(c, sessionId, false).orElseThrow();
            }
            return after;
        });
    }

    public void report(ReportOutcomeRequest r) {
        checkPartyId(r.getPartyId());
        if (r.getSessionId().isBlank()) throw CoordinatorException.invalid("session_id is required");
        if (!r.hasSuccess() && !r.hasFailure()) throw CoordinatorException.invalid("a report carries either success or failure");
        SessionRecord done = sessions.inTransaction(c -> {
            SessionRecord s = sessions.find(c, r.getSessionId(), true).orElseThrow(() -> CoordinatorException.notFound("no session " + r.getSessionId()));
            SessionRecord.Member m = s.member(r.getPartyId())
                    .orElseThrow(() -> CoordinatorException.denied("party " + r.getPartyId() + " is not in the roster of session " + r.getSessionId()));
            if (!PartySignature.valid(r, m.signingKey())) throw CoordinatorException.denied("the report is not signed by " + r.getPartyId() + "'s identity key");
            if (s.isTerminal() || m.reportedAt() != null) return null; // late or repeated: the outcome is already fixed
            SessionRepository.Outcome outcome;
            if (r.hasSuccess()) {
                var ok = r.getSuccess();
                outcome = new SessionRepository.Outcome(true, ok.getPublicKey().toByteArray(), ok.getSignature().toByteArray(),
                        ok.hasRecoveryId() ? ok.getRecoveryId() : null, nullIfEmpty(ok.getInstanceKey().toByteArray()),
                        nullIfEmpty(ok.getSignatureShare().toByteArray()), null, null);
            } else {
                outcome = new SessionRepository.Outcome(false, null, null, null, null, null, truncate(r.getFailure().getReason()),
                        r.getFailure().getCulpritPartyId().isEmpty() ? null : r.getFailure().getCulpritPartyId());
            }
            sessions.recordOutcome(c, s.id(), m.partyId(), outcome);
            // the row is locked: what was just written is all that changed, no need to read it back
            SessionRecord updated = s.withOutcome(m.partyId(), outcome, Instant.now());
            SessionRecord.Member reporter = updated.member(m.partyId()).orElseThrow();
            byte[] keyPk = s.kind() == SessionKind.KEYGEN ? null : keys.find(c, s.keyId()).orElseThrow().publicKey();
            OutcomeJudge.Verdict v = OutcomeJudge.judge(updated, keyPk, reporter);
            if (v instanceof OutcomeJudge.Completed done2) {
                if (s.kind() == SessionKind.KEYGEN) {
                    keys.insert(c, new KeyRegistry.Key(s.keyId(), s.protocol(), s.threshold(), s.parties(), done2.publicKey(),
                            updated.members().stream().map(x -> new KeyRegistry.KeyMember(x.partyId(), x.index())).toList()));
                }
                if (s.kind() == SessionKind.PRESIGN) {
                    presignatures.add(c, s.id(), s.keyId(), updated.members(), updated.members().get(0).resultInstanceKey());
                    // the pool row is its record from now on: keeping the session too would add a
                    // second row to the sessions table for every signature ever made
                    sessions.delete(c, s.id());
                    return updated.completed(done2.publicKey(), null, null);
                }
                if (s.kind() == SessionKind.REFRESH) presignatures.discardAll(c, s.keyId());
                sessions.complete(c, s.id(), done2.publicKey(), done2.signature(), done2.recoveryId());
                return updated.completed(done2.publicKey(), done2.signature(), done2.recoveryId());
            } else if (v instanceof OutcomeJudge.Failed f) {
                sessions.fail(c, s.id(), f.reason(), f.culprit());
                return updated.failed(f.reason(), f.culprit());
            }
            return null;
        });
        if (done != null) {
            count(done);
            endings.ended(done);
            if (done.kind() == SessionKind.PRESIGN) refill.presigned(done.keyId());
        }
    }

    private static byte[] nullIfEmpty(byte[] b) {
        return b.length == 0 ? null : b;
    }

    private void count(SessionRecord s) {
        metrics.counter(s.status() == SessionStatus.COMPLETED ? "mpc_sessions_completed" : "mpc_sessions_failed", "kind", s.kind().name()).increment();
        // a pool of presignatures is the point of not logging each one: thousands a minute would drown the rest
        if (s.kind() == SessionKind.PRESIGN && s.status() == SessionStatus.COMPLETED) return;
        LOG.infof("session %s (%s) %s%s", s.id(), s.kind(), s.status(), s.failureReason() == null ? "" : ": " + s.failureReason());
    }

    private static String truncate(String reason) {
        return reason.length() > 1000 ? reason.substring(0, 1000) : reason;
    }

    /** Fails open sessions past their deadline, naming the parties that had not joined or reported. */
    public int expire(Instant now) {
        List<SessionRecord> failed = sessions.inTransaction(c -> {
            List<SessionRecord> out = new java.util.ArrayList<>();
            for (String id : sessions.lockExpired(c, now)) {
                SessionRecord s = sessions.find(c, id, false).orElseThrow();
                String missing = s.members().stream().filter(m -> m.reportedAt() == null).map(SessionRecord.Member::partyId).collect(Collectors.joining(", "));
                sessions.fail(c, id, "timed out waiting for " + missing, null);
                out.add(sessions.find(c, id, false).orElseThrow());
            }
            return out;
        });
        failed.forEach(this::count);
        failed.forEach(endings::ended);
        return failed.size();
    }
}
