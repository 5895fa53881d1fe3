package io.mpcsystem.party.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the share store is open and the party watches the coordinator for sessions. */
@Readiness
@ApplicationScoped
public class PartyReadiness implements HealthCheck {
    @Inject
    PartyRuntime runtime;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("party")
                .withData("shareStoreOpen", runtime.store().isPresent())
                .withData("coordinatorConnected", runtime.connected())
                .status(runtime.store().isPresent() && runtime.connected())
                .build();
    }
}
