package io.mpcsystem.router;

import io.mpcsystem.proto.Ed25519Signatures;
import io.mpcsystem.proto.SignedBytes;
import io.mpcsystem.proto.router.v1.Envelope;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The parties' signing keys as the coordinator registered (and pinned) them, read from Redis
 * where the coordinator publishes them. The router stores an envelope only if its sender signed
 * it: nobody can fill a session, or spend a party's quota, in another party's name.
 */
@ApplicationScoped
public class SenderIdentities {
    private static final HexFormat HEX = HexFormat.of();
    /** A party keeps its identity for life; re-reading now and then is only for a re-provisioned one. */
    private static final long REREAD_NANOS = 30_000_000_000L;

    /** {@code key} is null when what the coordinator published is no Ed25519 public key. */
    private record Known(Ed25519PublicKeyParameters key, long atNanos) {
    }

    private final RedisDataSource redis;
    private final Map<String, Known> cache = new ConcurrentHashMap<>();

    public SenderIdentities(RedisDataSource redis) {
        this.redis = redis;
    }

    /** What is wrong with the envelope's signature, or null when its sender signed it. */
    public Verdict check(Envelope e) {
        Known k = known(e.getFromParty());
        if (k == null) return Verdict.UNKNOWN_SENDER;
        return k.key() != null && Ed25519Signatures.verify(k.key(), SignedBytes.envelope(e), e.getSignature().toByteArray())
                ? Verdict.SIGNED : Verdict.FORGED;
    }

    /** The outcome of a check. */
    public enum Verdict { SIGNED, FORGED, UNKNOWN_SENDER }

    /** The sender's key, decoded once per read from Redis rather than once per envelope. */
    private Known known(String partyId) {
        long now = System.nanoTime();
        Known k = cache.get(partyId);
        if (k != null && now - k.atNanos() < REREAD_NANOS) return k;
        String hex = redis.value(String.class).get("mpc:identity:" + partyId);
        if (hex == null || hex.length() != 64) return k;
        Known fresh = new Known(Ed25519Signatures.publicKey(HEX.parseHex(hex)), now);
        cache.put(partyId, fresh);
        return fresh;
    }
}
