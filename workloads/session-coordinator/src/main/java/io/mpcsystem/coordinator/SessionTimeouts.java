package io.mpcsystem.coordinator;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Fails sessions past their deadline; safe on every replica (rows are locked with SKIP LOCKED). */
@ApplicationScoped
public class SessionTimeouts {
    private static final Logger LOG = Logger.getLogger(SessionTimeouts.class);
    private final SessionService service;

    public SessionTimeouts(SessionService service) {
        this.service = service;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            service.expire(Instant.now());
        } catch (StoreUnavailable e) {
            LOG.debugf("timeout sweep skipped: %s", e.getMessage());
        }
    }
}
