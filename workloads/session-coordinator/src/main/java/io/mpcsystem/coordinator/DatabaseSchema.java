package io.mpcsystem.coordinator;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Migrates the schema once the database can be reached. Started without a database the
 * coordinator stays up, says clearly what is wrong, answers "not ready", and retries, instead of
 * dying with a stack trace and restarting in a loop.
 */
@Readiness
@ApplicationScoped
public class DatabaseSchema implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(DatabaseSchema.class);

    private final Instance<Flyway> flyway;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schema-migration");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean migrated;
    private volatile String problem = "not migrated yet";

    public DatabaseSchema(Instance<Flyway> flyway) {
        this.flyway = flyway;
    }

    void onStart(@Observes StartupEvent e) {
        // the first try is synchronous, so a healthy start serves requests on a migrated schema
        attempt();
    }

    void onStop(@Observes ShutdownEvent e) {
        retry.shutdownNow();
    }

    private void attempt() {
        try {
            flyway.get().migrate();
            migrated = true;
            problem = null;
            LOG.info("database schema is up to date");
        } catch (RuntimeException ex) {
            String cause = rootMessage(ex);
            if (!cause.equals(problem)) LOG.errorf("database unavailable, retrying every 5 s: %s", cause);
            problem = cause;
            retry.schedule(this::attempt, 5, TimeUnit.SECONDS);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) r = r.getCause();
        return r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
    }

    public boolean ready() {
        return migrated;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("database-schema").status(migrated).withData("problem", problem == null ? "none" : problem).build();
    }
}
