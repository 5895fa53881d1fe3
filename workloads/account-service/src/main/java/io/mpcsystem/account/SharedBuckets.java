package io.mpcsystem.account;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;

/**
 * Token buckets in Redis, one hash per bucket ({@code tokens}, {@code at}), taken from by one Lua
 * script so that every replica's take is atomic and all use Redis's clock: the replicas of the
 * account service enforce one limit together, not one each.
 */
final class SharedBuckets {
    static final String PREFIX = "mpc:account:rate:";
    // the refill, the take and the write in one step; the key expires once it would be full again
    private static final String TAKE = """
            redis.replicate_commands()
            local rate = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local cost = tonumber(ARGV[3])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
            local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(b[1]) or burst
            local at = tonumber(b[2]) or now
            if now > at then
              tokens = math.min(burst, tokens + (now - at) * rate)
              at = now
            end
            local wait = 0
            if tokens >= cost then tokens = tokens - cost else wait = (cost - tokens) / rate end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at))
            redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
            return tostring(wait)
            """;

    private final ReactiveRedisDataSource redis;
    private final double perSecond;
    private final int burst;

    SharedBuckets(ReactiveRedisDataSource redis, double perSecond, int burst) {
        this.redis = redis;
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** 0 if bucket {@code name} had {@code cost} tokens (now taken); else the nanoseconds until it will. Fails when Redis cannot answer. */
    Uni<Long> tryAcquire(String name, int cost) {
        // not blocking: the API-key filter runs on the event loop
        return redis.execute("EVAL", TAKE, "1", PREFIX + name, Double.toString(perSecond), Integer.toString(burst), Integer.toString(cost))
                .map(r -> {
                    double seconds = Double.parseDouble(r.toString());
                    return seconds <= 0 ? 0L : Math.max(1L, (long) Math.ceil(seconds * 1e9));
                });
    }
}
