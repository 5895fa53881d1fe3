package io.mpcsystem.party;

import io.mpcsystem.proto.RequestAuthorizations;
import io.mpcsystem.proto.coordinator.v1.RequestAuthorization;
import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Whether this party takes part in a session the coordinator invited it to. It does not trust
 * the coordinator: a KEYGEN or SIGN session must carry the account service's signed, unexpired
 * authorization for exactly this request (kind, protocol, key and hash, or threshold and party
 * count), each authorization is used once, the roster must be made of provisioned parties with
 * their pinned keys, and a new key may not land on an id this party already holds or reserves.
 */
public final class SessionAdmission {
    /** The longest an authorization may be valid for: bounds how long its request id is remembered. */
    static final Duration MAX_VALIDITY = Duration.ofMinutes(10);
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

    private final RequestAuthorizations.Verifier verifier;
    private final PeerPins pins;
    private final PartyShares shares;
    private final Clock clock;
    private final Map<String, Instant> usedRequests = new ConcurrentHashMap<>();
    /** Authorizations used before this instant are not in {@link #usedRequests}: none older is taken. */
    private final Instant startedAt;

    public SessionAdmission(RequestAuthorizations.Verifier verifier, PeerPins pins, PartyShares shares, Clock clock) {
        this.verifier = verifier;
        this.pins = pins;
        this.shares = shares;
        this.clock = clock;
        this.startedAt = clock.instant();
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
            if (shares.holdsKey(keyId)) throw new IllegalStateException("refusing to generate key " + keyId + ": this party already holds that key");
        }
        if (kind == SessionKind.KEYGEN || kind == SessionKind.SIGN) authorized(session);
    }

    private void authorized(Session session) {
        Instant now = clock.instant();
        RequestAuthorization a;
        try {
            a = RequestAuthorizations.verify(session.getAuthorization(), verifier, now);
        } catch (RequestAuthorizations.RefusedAuthorization e) {
            throw new IllegalStateException(e.getMessage());
        }
        boolean matches = a.getKind() == session.getKind() && a.getProtocol().equals(session.getProtocol());
        if (session.getKind() == SessionKind.SIGN) {
            matches &= a.getKeyId().equals(session.getKeyId()) && a.getMessage().equals(session.getMessage());
        } else {
            matches &= a.getThreshold() == session.getThreshold() && a.getParties() == session.getParties();
        }
        if (!matches) throw new IllegalStateException("the session does not match the request its authorization was signed for");
        Instant expires = RequestAuthorizations.expiresAt(a);
        Instant issued = RequestAuthorizations.issuedAt(a);
        if (expires.isAfter(now.plus(MAX_VALIDITY)) || expires.isAfter(issued.plus(MAX_VALIDITY))) {
            throw new IllegalStateException("the request's authorization is valid for longer than " + MAX_VALIDITY.toMinutes() + " minutes");
        }
        // which authorizations were used lives in memory only: one from before a restart may have been
        if (issued.isBefore(startedAt)) throw new IllegalStateException("the request's authorization was issued before this party started");
        usedRequests.values().removeIf(until -> until.isBefore(now));
        if (usedRequests.putIfAbsent(a.getRequestId(), expires) != null) {
            throw new IllegalStateException("the request's authorization (request " + a.getRequestId() + ") was used already");
        }
    }
}
