package io.mpcsystem.coordinator;

import io.mpcsystem.proto.coordinator.v1.RequestAuthorization;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.proto.coordinator.v1.SessionStatus;
import io.mpcsystem.proto.coordinator.v1.SignedAuthorization;
import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.ThresholdScheme;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns a validated request into a new session: who takes part, with which share index, and by
 * when it must be done. Key generation takes the first n registered parties by id; signing takes
 * t members of the key; a refresh takes all of them.
 */
@ApplicationScoped
public class RosterPlanner {
    static final int MAX_SCHNORR_MESSAGE = 65536;

    private final PartyRegistry parties;
    private final KeyRegistry keys;
    private final PartyPresence presence;
    private final Duration timeout;
    private final Clock clock = Clock.systemUTC();

    public RosterPlanner(PartyRegistry parties, KeyRegistry keys, PartyPresence presence, @ConfigProperty(name = "mpc.session.timeout") Duration timeout) {
        this.parties = parties;
        this.keys = keys;
        this.presence = presence;
        this.timeout = timeout;
    }

    public SessionRecord plan(SessionRequest r) {
        if (r.kind() == null || r.kind() == SessionKind.SESSION_KIND_UNSPECIFIED || r.kind() == SessionKind.UNRECOGNIZED) {
            throw CoordinatorException.invalid("kind must be KEYGEN, SIGN or REFRESH");
        }
        if (r.kind() == SessionKind.PRESIGN) throw CoordinatorException.invalid("presignatures are made by the coordinator's own pool, not on request");
        return switch (r.kind()) {
            case KEYGEN -> keygen(r);
            case SIGN, REFRESH -> forKey(r);
            default -> throw CoordinatorException.invalid("kind must be KEYGEN, SIGN or REFRESH");
        };
    }

    private static ThresholdScheme<?> scheme(String protocol) {
        if (protocol == null || protocol.isBlank()) throw CoordinatorException.invalid("protocol is required (dkls23, frost-ed25519 or frost-secp256k1)");
        try {
            return Schemes.byId(protocol);
        } catch (IllegalArgumentException e) {
            throw CoordinatorException.invalid(e.getMessage());
        }
    }

    private SessionRecord keygen(SessionRequest r) {
        scheme(r.protocol());
        if (r.parties() < 2 || r.parties() > 255) throw CoordinatorException.invalid("parties must be between 2 and 255, got " + r.parties());
        // one signer alone would hold the whole key's signing power: no threshold at all
        if (r.threshold() < 2 || r.threshold() > r.parties()) throw CoordinatorException.invalid("threshold must be between 2 and parties (" + r.parties() + "), got " + r.threshold());
        // the client's authorization names the key (the parties refuse a session under another id);
        // without one (no party would take part anyway) the coordinator names it
        RequestAuthorization a = authorization(r.authorization());
        String keyId = a != null && !a.getKeyId().isEmpty() ? a.getKeyId() : "key-" + UUID.randomUUID();
        if (!ID.matcher(keyId).matches()) throw CoordinatorException.invalid("the authorization's key id is not a key id (1-100 of A-Z a-z 0-9 _ -)");
        if (r.keyId() != null && !r.keyId().isEmpty() && !r.keyId().equals(keyId)) {
            throw CoordinatorException.invalid("key_id " + r.keyId() + " is not the key the request's authorization names");
        }
        if (keys.find(keyId).isPresent()) throw CoordinatorException.conflict("key " + keyId + " exists already");
        if (r.message() != null && r.message().length > 0) throw CoordinatorException.invalid("key generation takes no message");
        List<PartyRegistry.Party> registered = parties.all();
        if (registered.size() < r.parties()) {
            throw CoordinatorException.conflict("key generation needs " + r.parties() + " parties, only " + registered.size() + " registered");
        }
        List<SessionRecord.Member> members = new ArrayList<>();
        for (int i = 0; i < r.parties(); i++) {
            PartyRegistry.Party p = registered.get(i);
            members.add(member(p, i + 1));
        }
        return record(r.kind(), r.protocol(), r.threshold(), r.parties(), keyId, new byte[0], members, r.authorization());
    }

    private SessionRecord forKey(SessionRequest r) {
        if (r.keyId() == null || r.keyId().isBlank()) throw CoordinatorException.invalid("key_id is required");
        KeyRegistry.Key key = keys.find(r.keyId()).orElseThrow(() -> CoordinatorException.notFound("no key " + r.keyId()));
        if (r.protocol() != null && !r.protocol().isEmpty() && !r.protocol().equals(key.protocol())) {
            throw CoordinatorException.invalid("key " + key.keyId() + " is a " + key.protocol() + " key, not " + r.protocol());
        }
        byte[] message = r.message() == null ? new byte[0] : r.message();
        List<KeyRegistry.KeyMember> chosen;
        if (r.kind() == SessionKind.SIGN) {
            if (key.protocol().equals("dkls23") && message.length != 32) throw CoordinatorException.invalid("dkls23 signs a 32-byte hash, got " + message.length + " bytes");
            if (message.length < 1 || message.length > MAX_SCHNORR_MESSAGE) throw CoordinatorException.invalid("message must be 1 to " + MAX_SCHNORR_MESSAGE + " bytes");
            chosen = preferOnline(key.members(), key.threshold());
        } else {
            if (message.length > 0) throw CoordinatorException.invalid("a refresh takes no message");
            chosen = key.members();
        }
        List<SessionRecord.Member> members = new ArrayList<>();
        for (KeyRegistry.KeyMember km : chosen) {
            PartyRegistry.Party p = parties.find(km.partyId()).orElseThrow(() -> CoordinatorException.conflict("party " + km.partyId() + " is not registered"));
            members.add(member(p, km.index()));
        }
        return record(r.kind(), key.protocol(), key.threshold(), key.parties(), key.keyId(), message, members, r.authorization());
    }

    /**
     * A PRESIGN session for a DKLs23 key: t of its online members (offline ones only to make up
     * the number), a different window of them each time, so that presigning and the signatures
     * served from the pool are spread over every party rather than always the first t.
     */
    public SessionRecord presign(KeyRegistry.Key key) {
        if (!key.protocol().equals("dkls23")) throw CoordinatorException.invalid("presignatures exist for dkls23 keys only");
        java.util.Set<String> online = presence.online(ids(key.members()));
        List<KeyRegistry.KeyMember> ordered = onlineFirst(key.members(), online);
        long live = ordered.stream().filter(m -> online.contains(m.partyId())).count();
        int t = key.threshold();
        List<KeyRegistry.KeyMember> chosen = new ArrayList<>();
        if (live > t) {
            int start = Math.floorMod(presignTurn.getAndIncrement(), (int) live);
            for (int k = 0; k < t; k++) chosen.add(ordered.get((start + k) % (int) live));
        } else {
            chosen.addAll(ordered.subList(0, t));
        }
        chosen.sort(java.util.Comparator.comparingInt(KeyRegistry.KeyMember::index));
        List<SessionRecord.Member> members = new ArrayList<>();
        for (KeyRegistry.KeyMember km : chosen) {
            PartyRegistry.Party p = parties.find(km.partyId()).orElseThrow(() -> CoordinatorException.conflict("party " + km.partyId() + " is not registered"));
            members.add(member(p, km.index()));
        }
        return record(SessionKind.PRESIGN, key.protocol(), key.threshold(), key.parties(), key.keyId(), new byte[0], members, null);
    }

    /** The planned SIGN session moved onto a presignature: its signers, with the indices it was made with, become the roster. */
    public SessionRecord onPresignature(SessionRecord planned, PresignaturePool.Claimed claimed) {
        List<SessionRecord.Member> members = new ArrayList<>();
        for (int i = 0; i < claimed.partyIds().size(); i++) {
            String id = claimed.partyIds().get(i);
            int index = claimed.indices().get(i);
            SessionRecord.Member known = planned.member(id).filter(m -> m.index() == index).orElse(null);
            if (known == null) {
                PartyRegistry.Party p = parties.find(id).orElseThrow(() -> CoordinatorException.conflict("party " + id + " is not registered"));
                known = member(p, index);
            }
            members.add(known);
        }
        members.sort(java.util.Comparator.comparingInt(SessionRecord.Member::index));
        return planned.usingPresignature(claimed.presignatureId(), claimed.instanceKey(), members);
    }

    /** True when every one of these parties is watching for invitations. */
    public boolean allOnline(java.util.Set<String> partyIds) {
        return presence.online(partyIds).size() == partyIds.size();
    }

    private final java.util.concurrent.atomic.AtomicInteger presignTurn = new java.util.concurrent.atomic.AtomicInteger();

    private static java.util.Set<String> ids(List<KeyRegistry.KeyMember> members) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        members.forEach(m -> ids.add(m.partyId()));
        return ids;
    }

    /** The members, online ones first, each group in index order. */
    private static List<KeyRegistry.KeyMember> onlineFirst(List<KeyRegistry.KeyMember> members, java.util.Set<String> online) {
        List<KeyRegistry.KeyMember> ordered = new ArrayList<>();
        members.stream().filter(m -> online.contains(m.partyId())).forEach(ordered::add);
        members.stream().filter(m -> !online.contains(m.partyId())).forEach(ordered::add);
        return ordered;
    }

    /** t members of the key, online ones first (in index order), so a crashed party is routed around. */
    private List<KeyRegistry.KeyMember> preferOnline(List<KeyRegistry.KeyMember> members, int t) {
        List<KeyRegistry.KeyMember> chosen = new ArrayList<>(onlineFirst(members, presence.online(ids(members))).subList(0, t));
        chosen.sort(java.util.Comparator.comparingInt(KeyRegistry.KeyMember::index));
        return chosen;
    }

    private static SessionRecord.Member member(PartyRegistry.Party p, int index) {
        return new SessionRecord.Member(p.partyId(), index, p.signingKey(), p.encryptionKey(), null, null, null, null, null, null, null, null, null, null);
    }

    /** What a key id and a client's session id may be (the parties' ledger and share store take no other characters). */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,100}");

    /**
     * The client's authorization as it claims to be, not verified (the parties verify it; the
     * coordinator only follows what it names). Null when the request carries none.
     */
    private static RequestAuthorization authorization(byte[] signed) {
        if (signed == null || signed.length == 0) return null;
        try {
            return RequestAuthorization.parseFrom(SignedAuthorization.parseFrom(signed).getAuthorization());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw CoordinatorException.invalid("the request's authorization is not a signed authorization");
        }
    }

    private SessionRecord record(SessionKind kind, String protocol, int t, int n, String keyId, byte[] message, List<SessionRecord.Member> members,
                                 byte[] authorization) {
        Instant now = clock.instant();
        // a client's request runs as the session its authorization names (its request id): the parties
        // take an authorization only for that session id, and run a session id once
        RequestAuthorization a = authorization(authorization);
        // the coordinator's own sessions carry their creation time, which the parties check (SessionIds)
        String id = a == null ? io.mpcsystem.proto.SessionIds.timed(now) : a.getRequestId();
        if (!ID.matcher(id).matches()) throw CoordinatorException.invalid("the authorization's request id is not a session id (1-100 of A-Z a-z 0-9 _ -)");
        return new SessionRecord(id, kind, protocol, t, n, keyId, message, SessionStatus.PENDING, null, null, null, null, null,
                now, now.plus(timeout), members, null, null, authorization);
    }
}
