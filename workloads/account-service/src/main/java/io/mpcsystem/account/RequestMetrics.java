package io.mpcsystem.account;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Counts keygen and sign requests by outcome, for dashboards and alerts on failing sessions. */
@ApplicationScoped
public class RequestMetrics {
    private final MeterRegistry registry;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(AuditOperation operation, String outcome) {
        Counter.builder("mpc.account.requests")
                .description("authenticated keygen and sign requests by outcome")
                .tag("operation", operation.name().toLowerCase(java.util.Locale.ROOT))
                .tag("outcome", outcome.toLowerCase(java.util.Locale.ROOT))
                .register(registry)
                .increment();
    }
}
