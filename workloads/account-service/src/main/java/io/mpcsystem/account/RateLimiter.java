package io.mpcsystem.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API key: {@code burst} requests at once, refilled at {@code perSecond}. One
 * key cannot starve the others or flood the coordinator. Buckets exist only for authenticated
 * keys, so their number is bounded by the number of keys.
 */
@ApplicationScoped
public class RateLimiter {
    private final double perNano;
    private final double burst;
    private final LongSupplier clock;
    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    RateLimiter(AccountConfig config) {
        this(config.rateLimit().perSecond(), config.rateLimit().burst(), System::nanoTime);
    }

    RateLimiter(double perSecond, int burst, LongSupplier nanoClock) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalStateException("MPC_RATE_LIMIT_PER_SECOND (mpc.rate-limit.per-second) must be a positive number");
        }
        if (burst < 1) throw new IllegalStateException("MPC_RATE_LIMIT_BURST (mpc.rate-limit.burst) must be at least 1");
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.clock = nanoClock;
    }

    /** 0 if key {@code id} may make a request now (and takes its token); else how many nanoseconds until it may. */
    public long tryAcquire(UUID id) {
        return buckets.computeIfAbsent(id, k -> new Bucket(burst, clock.getAsLong())).take(clock.getAsLong());
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized long take(long now) {
            if (now > refilledAt) {
                tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
                refilledAt = now;
            }
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
        }
    }
}
