package io.mpcsystem.party;

import io.mpcsystem.proto.RequestAuthorizations;
import io.mpcsystem.proto.coordinator.v1.RequestAuthorization;
import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Whether this party takes part in a session the coordinator invited it to. It does not trust
 * the coordinator: a KEYGEN or SIGN session must carry the account service's signed, unexpired
 * authorization for exactly this request (kind, protocol, session id, and key and hash, or key
 * id, threshold and party count), the roster must be made of provisioned parties with their
 * pinned keys, and a new key may not land on an id this party already holds or reserves.
 *
 * <p>An authorization is used once because it names the session it may run as (its request id is
 * the session id) and the executor records every session id in the fsynced {@link SessionLedger}
 * before the run: neither a second session nor a restart can re-arm it. (It used to be bound to
 * no session and remembered in memory; with the account service's clock ahead, a restart re-armed
 * a used one.)
 */
public final class SessionAdmission {
    /** The longest an authorization may be valid for: bounds how long its request id is remembered. */
    static final Duration MAX_VALIDITY = Duration.ofMinutes(10);
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private final RequestAuthorizations.Verifier verifier;
    private final PeerPins pins;
    private final PartyShares shares;
    private final Clock clock;
    private final SessionBudget budget;

    public SessionAdmission(RequestAuthorizations.Verifier verifier, PeerPins pins, PartyShares shares, Clock clock) {
        this(verifier, pins, shares, new SessionBudget(SessionBudget.Limits.defaults(), clock), clock);
    }

    public SessionAdmission(RequestAuthorizations.Verifier verifier, PeerPins pins, PartyShares shares, SessionBudget budget, Clock clock) {
        this.budget = budget;
        this.verifier = verifier;
        this.pins = pins;
        this.shares = shares;
        this.clock = clock;
    }

    /** @throws IllegalStateException saying why the session is refused (never with secrets) */
    public void admit(Session session) {
        pins.check(Roster.fromProto(session.getRosterList()));
        SessionKind kind = session.getKind();
        if (kind == SessionKind.KEYGEN) {
            String keyId = session.getKeyId();
            if (!KEY_ID.matcher(keyId).matches() || keyId.equals(PartyBootstrap.IDENTITY_ID) || keyId.equals(PeerPins.STORE_ID)) {
                throw new IllegalStateException("refusing to generate a key under the id " + keyId + ": not a key id, or reserved");
            }
            if (session.getThreshold() < 2) throw new IllegalStateException("refusing a key with threshold " + session.getThreshold() + ": one signer alone would hold it");
        }
        if (kind == SessionKind.KEYGEN || kind == SessionKind.SIGN) authorized(session);
        if (kind == SessionKind.PRESIGN || kind == SessionKind.REFRESH) recent(session.getSessionId());
        // what the coordinator asks for on its own word is bounded (SessionBudget)
        if (kind == SessionKind.PRESIGN) budget.admitPresign(session.getKeyId(), shares.presignaturesHeld(session.getKeyId()), shares.presignaturesHeld());
        if (kind == SessionKind.REFRESH) budget.admitRefresh(session.getKeyId());
        // claimed here, durably, not when the share is saved at the end: of two concurrent runs for one id only one is admitted
        if (kind == SessionKind.KEYGEN && !shares.reserveKey(session.getKeyId())) {
            throw new IllegalStateException("refusing to generate key " + session.getKeyId() + ": this party already holds or has claimed that id");
        }
    }

    /** The oldest coordinator session a party takes: well within the ledger's retention, so that a replayed id is refused by its time. */
    static final Duration MAX_SESSION_AGE = Duration.ofMinutes(30);

    private void recent(String sessionId) {
        Instant created = io.mpcsystem.proto.SessionIds.createdAt(sessionId)
                .orElseThrow(() -> new IllegalStateException("session id " + sessionId + " carries no creation time"));
        Instant now = clock.instant();
        if (created.isBefore(now.minus(MAX_SESSION_AGE)) || created.isAfter(now.plus(RequestAuthorizations.CLOCK_SKEW))) {
            throw new IllegalStateException("session " + sessionId + " was created at " + created + ": a party takes sessions of the last "
                    + MAX_SESSION_AGE.toMinutes() + " minutes only");
        }
    }

    private void authorized(Session session) {
        Instant now = clock.instant();
        RequestAuthorization a;
        try {
            a = RequestAuthorizations.verify(session.getAuthorization(), verifier, now);
        } catch (RequestAuthorizations.RefusedAuthorization e) {
            throw new IllegalStateException(e.getMessage());
        }
        if (!a.getRequestId().equals(session.getSessionId())) {
            throw new IllegalStateException("the session's id is not the request its authorization was signed for (request " + a.getRequestId() + ")");
        }
        boolean matches = a.getKind() == session.getKind() && a.getProtocol().equals(session.getProtocol());
        if (session.getKind() == SessionKind.SIGN) {
            matches &= a.getKeyId().equals(session.getKeyId()) && a.getMessage().equals(session.getMessage());
        } else {
            matches &= a.getKeyId().equals(session.getKeyId()) && a.getThreshold() == session.getThreshold() && a.getParties() == session.getParties();
        }
        if (!matches) throw new IllegalStateException("the session does not match the request its authorization was signed for");
        Instant expires = RequestAuthorizations.expiresAt(a);
        Instant issued = RequestAuthorizations.issuedAt(a);
        if (expires.isAfter(now.plus(MAX_VALIDITY)) || expires.isAfter(issued.plus(MAX_VALIDITY))) {
            throw new IllegalStateException("the request's authorization is valid for longer than " + MAX_VALIDITY.toMinutes() + " minutes");
        }
    }
}
