package io.mpcsystem.coordinator;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Which parties are online: a party watching for invitations on any replica has a Redis key
 * that its replica refreshes while the stream is open. Signing prefers online members of a key,
 * so a crashed party does not fail every following session.
 */
@ApplicationScoped
public class PartyPresence {
    private static final Logger LOG = Logger.getLogger(PartyPresence.class);
    private static final Duration TTL = Duration.ofSeconds(15);

    private final RedisDataSource redis;
    private final Map<String, AtomicInteger> local = new ConcurrentHashMap<>();

    public PartyPresence(RedisDataSource redis) {
        this.redis = redis;
    }

    static String key(String partyId) {
        return "mpc:coordinator:presence:" + partyId;
    }

    void connected(String partyId) {
        recent.remove(partyId);
        local.computeIfAbsent(partyId, p -> new AtomicInteger()).incrementAndGet();
        mark(partyId);
    }

    void disconnected(String partyId) {
        AtomicInteger n = local.get(partyId);
        if (n != null && n.decrementAndGet() <= 0) {
            local.remove(partyId);
            recent.remove(partyId);
            try {
                redis.key().del(key(partyId));
            } catch (RuntimeException e) {
                LOG.debugf("cannot clear presence of %s: %s", partyId, e.getMessage());
            }
        }
    }

    @Scheduled(every = "5s")
    void refresh() {
        local.keySet().forEach(this::mark);
    }

    private void mark(String partyId) {
        try {
            redis.value(String.class).setex(key(partyId), TTL.toSeconds(), "online");
        } catch (RuntimeException e) {
            LOG.debugf("cannot mark %s online: %s", partyId, e.getMessage());
        }
    }

    /**
     * The online subset of {@code partyIds}; all of them when Redis cannot tell. An answer is
     * reused for a second: presence changes on a scale of seconds (the key lives 15 s), while
     * every signature asks, and three Redis round trips per signature showed in its CPU cost.
     */
    public Set<String> online(Set<String> partyIds) {
        long now = System.nanoTime();
        Set<String> out = new java.util.HashSet<>();
        try {
            for (String p : partyIds) {
                Seen seen = recent.get(p);
                if (seen == null || now - seen.atNanos() > RECHECK_NANOS) {
                    seen = new Seen(redis.key().exists(key(p)), now);
                    recent.put(p, seen);
                }
                if (seen.online()) out.add(p);
            }
            return out;
        } catch (RuntimeException e) {
            return partyIds;
        }
    }

    private record Seen(boolean online, long atNanos) {
    }

    private static final long RECHECK_NANOS = Duration.ofSeconds(1).toNanos();
    private final Map<String, Seen> recent = new ConcurrentHashMap<>();
}
