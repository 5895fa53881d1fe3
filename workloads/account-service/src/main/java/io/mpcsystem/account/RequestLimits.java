package io.mpcsystem.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Who may ask how much of this service: one token bucket per tenant, shared by all its API keys
 * (a tenant admin minting keys does not multiply its rate), a key generation costing more than
 * a signature, and one bucket for every request that fails authentication. Buckets live in this
 * replica's memory: with several replicas each enforces the limits on its own share of traffic.
 */
@ApplicationScoped
public class RequestLimits {
    private final RateLimiter tenants;
    private final RateLimiter unauthenticated;
    private final int keygenCost;

    @Inject
    RequestLimits(AccountConfig config) {
        this(config.rateLimit().perSecond(), config.rateLimit().burst(), config.rateLimit().keygenCost(),
                config.rateLimit().unauthenticatedPerSecond(), config.rateLimit().unauthenticatedBurst(), System::nanoTime);
    }

    RequestLimits(double perSecond, int burst, int keygenCost, double unauthenticatedPerSecond, int unauthenticatedBurst,
                  java.util.function.LongSupplier nanoClock) {
        this.tenants = new RateLimiter(perSecond, burst, nanoClock);
        this.unauthenticated = new RateLimiter(unauthenticatedPerSecond, unauthenticatedBurst, nanoClock,
                "MPC_RATE_LIMIT_UNAUTHENTICATED_PER_SECOND (mpc.rate-limit.unauthenticated-per-second)",
                "MPC_RATE_LIMIT_UNAUTHENTICATED_BURST (mpc.rate-limit.unauthenticated-burst)");
        if (keygenCost < 1 || keygenCost > burst) {
            throw new IllegalStateException("MPC_RATE_LIMIT_KEYGEN_COST (mpc.rate-limit.keygen-cost) must be between 1 and the burst (" + burst + ")");
        }
        this.keygenCost = keygenCost;
    }

    /** 0 if {@code tenant} may make this request now; else how many nanoseconds until it may. */
    public long forTenant(String tenant, boolean keygen) {
        return tenants.tryAcquire(tenant, keygen ? keygenCost : 1);
    }

    /** 0 if one more request that failed authentication may be answered 401; else the wait (it gets 429). */
    public long forUnauthenticated() {
        return unauthenticated.tryAcquire("", 1);
    }
}
