package io.mpcsystem.account;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Who may ask how much of this service: one token bucket per tenant, shared by all its API keys
 * (a tenant admin minting keys does not multiply its rate), a key generation costing more than
 * a signature, and one bucket for every request that fails authentication. With MPC_REDIS_HOST
 * the buckets live in Redis, shared by every replica ({@link SharedBuckets}); while Redis cannot
 * answer, and without it, each replica keeps its own, so the limits never stop the service.
 */
@ApplicationScoped
@Startup // made at start-up: limits that make no sense stop the service at once, not its first request
public class RequestLimits {
    private static final Logger LOG = Logger.getLogger(RequestLimits.class);
    private static final String UNAUTHENTICATED = "unauthenticated";
    private final RateLimiter tenants;
    private final RateLimiter unauthenticated;
    private final SharedBuckets sharedTenants;
    private final SharedBuckets sharedUnauthenticated;
    private final int keygenCost;
    private final AtomicLong sharedFailures = new AtomicLong();

    @Inject
    RequestLimits(AccountConfig config, Instance<ReactiveRedisDataSource> redis) {
        this(config.rateLimit().perSecond(), config.rateLimit().burst(), config.rateLimit().keygenCost(),
                config.rateLimit().unauthenticatedPerSecond(), config.rateLimit().unauthenticatedBurst(), System::nanoTime,
                config.rateLimit().redisHost().filter(h -> !h.isBlank()).map(h -> redis.get()).orElse(null));
    }

    RequestLimits(double perSecond, int burst, int keygenCost, double unauthenticatedPerSecond, int unauthenticatedBurst,
                  java.util.function.LongSupplier nanoClock) {
        this(perSecond, burst, keygenCost, unauthenticatedPerSecond, unauthenticatedBurst, nanoClock, null);
    }

    private RequestLimits(double perSecond, int burst, int keygenCost, double unauthenticatedPerSecond, int unauthenticatedBurst,
                          java.util.function.LongSupplier nanoClock, ReactiveRedisDataSource redis) {
        this.tenants = new RateLimiter(perSecond, burst, nanoClock);
        this.unauthenticated = new RateLimiter(unauthenticatedPerSecond, unauthenticatedBurst, nanoClock,
                "MPC_RATE_LIMIT_UNAUTHENTICATED_PER_SECOND (mpc.rate-limit.unauthenticated-per-second)",
                "MPC_RATE_LIMIT_UNAUTHENTICATED_BURST (mpc.rate-limit.unauthenticated-burst)");
        if (keygenCost < 1 || keygenCost > burst) {
            throw new IllegalStateException("MPC_RATE_LIMIT_KEYGEN_COST (mpc.rate-limit.keygen-cost) must be between 1 and the burst (" + burst + ")");
        }
        this.keygenCost = keygenCost;
        this.sharedTenants = redis == null ? null : new SharedBuckets(redis, perSecond, burst);
        this.sharedUnauthenticated = redis == null ? null : new SharedBuckets(redis, unauthenticatedPerSecond, unauthenticatedBurst);
    }

    /** 0 if {@code tenant} may make this request now; else how many nanoseconds until it may. */
    public Uni<Long> forTenant(String tenant, boolean keygen) {
        int cost = keygen ? keygenCost : 1;
        return take(sharedTenants, tenants, "tenant:" + tenant, cost);
    }

    /** 0 if one more request that failed authentication may be answered 401; else the wait (it gets 429). */
    public Uni<Long> forUnauthenticated() {
        return take(sharedUnauthenticated, unauthenticated, UNAUTHENTICATED, 1);
    }

    private Uni<Long> take(SharedBuckets shared, RateLimiter local, String name, int cost) {
        if (shared == null) return Uni.createFrom().item(() -> local.tryAcquire(name, cost));
        return shared.tryAcquire(name, cost).onFailure().recoverWithItem(e -> {
            // this replica's own bucket until Redis answers again (logged once per 100 failures)
            if (sharedFailures.getAndIncrement() % 100 == 0) LOG.warnf("rate limits: Redis unavailable, this replica limits alone: %s", e.toString());
            return local.tryAcquire(name, cost);
        });
    }

    /** Takes that fell back to this replica's own buckets because Redis did not answer. */
    long sharedFailures() {
        return sharedFailures.get();
    }
}
