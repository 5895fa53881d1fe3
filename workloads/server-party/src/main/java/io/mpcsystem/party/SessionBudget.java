package io.mpcsystem.party;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the coordinator may ask of this party without a client's authorization: PRESIGN and
 * REFRESH sessions run at its word. Neither releases anything, but unbounded they cost this party
 * disk (presignatures held), CPU, and, for refreshes, the pairwise setups of every key. So a
 * party holds at most so many presignatures per key and in all, and takes at most so many
 * refreshes of one key per hour; what it refuses is counted for the metrics.
 *
 * <p>The refresh window lives in memory: a restart forgets it, which the coordinator cannot cause.
 */
public final class SessionBudget {
    /** The limits; each must be at least 1. */
    public record Limits(int presignaturesPerKey, int presignatures, int refreshesPerKeyPerHour) {
        public Limits {
            if (presignaturesPerKey < 1 || presignatures < 1 || refreshesPerKeyPerHour < 1) {
                throw new IllegalArgumentException("presignature and refresh limits must be at least 1");
            }
        }

        /** Far above what the coordinator's pool (32 per key by default) and the operator's refreshes need. */
        public static Limits defaults() {
            return new Limits(256, 100_000, 12);
        }
    }

    private static final Duration WINDOW = Duration.ofHours(1);
    private final Limits limits;
    private final Clock clock;
    private final Map<String, Deque<Instant>> refreshes = new HashMap<>();
    private final AtomicLong refusedPresign = new AtomicLong();
    private final AtomicLong refusedRefresh = new AtomicLong();

    public SessionBudget(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** @throws IllegalStateException when this party holds as many presignatures as it takes */
    public void admitPresign(String keyId, int heldForKey, int heldInAll) {
        if (heldForKey >= limits.presignaturesPerKey() || heldInAll >= limits.presignatures()) {
            refusedPresign.incrementAndGet();
            throw new IllegalStateException("refusing to presign for key " + keyId + ": this party holds " + heldForKey + " presignatures of it and "
                    + heldInAll + " in all (at most " + limits.presignaturesPerKey() + " per key and " + limits.presignatures() + " in all)");
        }
    }

    /** Counts a refresh of {@code keyId} now. @throws IllegalStateException when the key had its refreshes this hour */
    public synchronized void admitRefresh(String keyId) {
        Instant now = clock.instant();
        Deque<Instant> recent = refreshes.computeIfAbsent(keyId, k -> new ArrayDeque<>());
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(WINDOW))) recent.removeFirst();
        if (recent.size() >= limits.refreshesPerKeyPerHour()) {
            refusedRefresh.incrementAndGet();
            throw new IllegalStateException("refusing to refresh key " + keyId + ": it was refreshed " + recent.size() + " times in the last hour (at most "
                    + limits.refreshesPerKeyPerHour() + ")");
        }
        recent.addLast(now);
        // keys not refreshed within the window take no memory
        refreshes.values().removeIf(d -> !d.peekLast().isAfter(now.minus(WINDOW)));
    }

    public long refusedPresignSessions() {
        return refusedPresign.get();
    }

    public long refusedRefreshSessions() {
        return refusedRefresh.get();
    }

    public Limits limits() {
        return limits;
    }
}
