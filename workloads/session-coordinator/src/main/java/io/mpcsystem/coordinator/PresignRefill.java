package io.mpcsystem.coordinator;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps a pool of presignatures for each DKLs23 key that has signed lately, so that a signature
 * needs one step at each signer instead of four rounds through the router. A key whose pool
 * (ready and in the making) is below {@code mpc.presign.refill-below} is filled up to
 * {@code mpc.presign.pool-size} with at most {@code mpc.presign.max-inflight} PRESIGN sessions at
 * a time; by default every use is replaced at once, a lower mark lets a burst of signatures run
 * without presigning beside it and refills afterwards. A key stops being topped up once it has
 * not signed for {@code mpc.presign.idle-after} (its remaining presignatures stay usable). A pool
 * size of 0 turns presignatures off.
 *
 * <p>Replicas share the work through the database: a transaction-scoped advisory lock per key
 * lets one replica at a time count and start sessions, so the pool is never overfilled.
 */
@ApplicationScoped
public class PresignRefill {
    private static final Logger LOG = Logger.getLogger(PresignRefill.class);

    private final SessionRepository sessions;
    private final PresignaturePool pool;
    private final KeyRegistry keys;
    private final RosterPlanner planner;
    private final InvitationHub invitations;
    private final int poolSize;
    private final int maxInflight;
    private final int maxInflightTotal;
    private final int refillBelow;
    private final Set<String> filling = ConcurrentHashMap.newKeySet();
    private final Duration idleAfter;
    private final Map<String, Long> lastUsed = new ConcurrentHashMap<>();
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "presign-refill");
        t.setDaemon(true);
        return t;
    });

    public PresignRefill(SessionRepository sessions, PresignaturePool pool, KeyRegistry keys, RosterPlanner planner, InvitationHub invitations,
                         MeterRegistry metrics, @ConfigProperty(name = "mpc.presign.pool-size") int poolSize,
                         @ConfigProperty(name = "mpc.presign.max-inflight") int maxInflight,
                         @ConfigProperty(name = "mpc.presign.max-inflight-total") int maxInflightTotal,
                         @ConfigProperty(name = "mpc.presign.idle-after") Duration idleAfter,
                         @ConfigProperty(name = "mpc.presign.refill-below") java.util.Optional<Integer> refillBelow) {
        if (poolSize < 0) throw new IllegalArgumentException("mpc.presign.pool-size must be 0 (off) or more, got " + poolSize);
        this.refillBelow = refillBelow.orElse(poolSize);
        if (poolSize > 0 && (this.refillBelow < 1 || this.refillBelow > poolSize)) {
            throw new IllegalArgumentException("mpc.presign.refill-below must be between 1 and the pool size, got " + this.refillBelow);
        }
        if (maxInflight < 1) throw new IllegalArgumentException("mpc.presign.max-inflight must be at least 1, got " + maxInflight);
        this.sessions = sessions;
        this.pool = pool;
        this.keys = keys;
        this.planner = planner;
        this.invitations = invitations;
        this.poolSize = poolSize;
        this.maxInflight = maxInflight;
        if (maxInflightTotal < 1) throw new IllegalArgumentException("mpc.presign.max-inflight-total must be at least 1, got " + maxInflightTotal);
        this.maxInflightTotal = maxInflightTotal;
        this.idleAfter = idleAfter;
        Gauge.builder("mpc_presignatures_ready", pool, PresignaturePool::readyTotal)
                .description("presignatures ready to sign with, all keys").register(metrics);
    }

    /** Whether signatures of this protocol can use presignatures here. */
    public boolean serves(String protocol) {
        return poolSize > 0 && "dkls23".equals(protocol);
    }

    /** A key was asked to sign: it is active, and its pool is topped up soon. */
    public void signed(String keyId) {
        if (poolSize == 0) return;
        lastUsed.put(keyId, System.nanoTime());
        schedule(keyId);
    }

    /** A presignature of a key was made (or failed): its slot is free for the next, if the key is still active. */
    public void presigned(String keyId) {
        if (lastUsed.containsKey(keyId)) schedule(keyId);
    }

    private void schedule(String keyId) {
        if (queued.add(keyId)) {
            try {
                worker.submit(() -> {
                    queued.remove(keyId);
                    topUp(keyId);
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.remove(keyId);
            }
        }
    }

    /** The safety net: PRESIGN sessions that timed out free their slots without a report. */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        long now = System.nanoTime();
        lastUsed.entrySet().removeIf(e -> now - e.getValue() > idleAfter.toNanos());
        lastUsed.keySet().forEach(this::schedule);
    }

    void topUp(String keyId) {
        List<SessionRecord> started;
        try {
            KeyRegistry.Key key = keys.find(keyId).orElse(null);
            if (key == null || !serves(key.protocol())) return;
            started = sessions.inTransaction(c -> {
                if (!lock(c, keyId)) return List.of();
                if (open(c, keyId, SessionKind.REFRESH) > 0) return List.of();
                int inflight = open(c, keyId, SessionKind.PRESIGN);
                int pooled = pool.ready(c, keyId) + inflight;
                if (pooled < refillBelow) filling.add(keyId);
                if (pooled >= poolSize) filling.remove(keyId);
                if (!filling.contains(keyId)) return List.of();
                // all keys together: many active keys must not turn the parties into a presigning farm
                // (counted without a lock across keys, so replicas may overshoot by a session or two)
                int wanted = Math.min(Math.min(poolSize - pooled, maxInflight - inflight), maxInflightTotal - openPresigns(c));
                List<SessionRecord> out = new ArrayList<>();
                for (int i = 0; i < wanted; i++) {
                    SessionRecord s = planner.presign(key);
                    sessions.insert(c, s);
                    out.add(s);
                }
                return out;
            });
        } catch (RuntimeException e) {
            // no database, a party gone from the registry: the next sweep tries again
            LOG.debugf("cannot top up the presignatures of %s: %s", keyId, e.getMessage());
            return;
        }
        started.forEach(invitations::announce);
    }

    private static boolean lock(Connection c, String keyId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext('mpc:presign:' || ?))")) {
            p.setString(1, keyId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    private static int openPresigns(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM sessions WHERE kind = 'PRESIGN' AND status IN ('PENDING', 'RUNNING')");
             ResultSet r = p.executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }

    private static int open(Connection c, String keyId, SessionKind kind) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM sessions WHERE key_id = ? AND kind = ? AND status IN ('PENDING', 'RUNNING')")) {
            p.setString(1, keyId);
            p.setString(2, kind.name());
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    void onStop(@Observes ShutdownEvent e) {
        worker.shutdownNow();
    }
}
