package io.mpcsystem.account;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by name: {@code burst} tokens at once, refilled at {@code perSecond}; a request
 * takes as many tokens as it costs. {@link RequestLimits} keeps one of these per tenant and one
 * for unauthenticated callers.
 */
public class RateLimiter {
    private final double perNano;
    private final double burst;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(double perSecond, int burst, LongSupplier nanoClock) {
        this(perSecond, burst, nanoClock, "MPC_RATE_LIMIT_PER_SECOND (mpc.rate-limit.per-second)", "MPC_RATE_LIMIT_BURST (mpc.rate-limit.burst)");
    }

    RateLimiter(double perSecond, int burst, LongSupplier nanoClock, String rateSetting, String burstSetting) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) throw new IllegalStateException(rateSetting + " must be a positive number");
        if (burst < 1) throw new IllegalStateException(burstSetting + " must be at least 1");
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.clock = nanoClock;
    }

    /** 0 if bucket {@code name} has {@code cost} tokens now (and takes them); else how many nanoseconds until it will. */
    public long tryAcquire(String name, int cost) {
        if (cost < 1 || cost > burst) throw new IllegalArgumentException("a request costs 1 to " + (long) burst + " tokens, not " + cost);
        return buckets.computeIfAbsent(name, k -> new Bucket(burst, clock.getAsLong())).take(clock.getAsLong(), cost);
    }

    private final class Bucket {
        private double tokens;
        private long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized long take(long now, int cost) {
            if (now > refilledAt) {
                tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
                refilledAt = now;
            }
            if (tokens >= cost) {
                tokens -= cost;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((cost - tokens) / perNano));
        }
    }
}
