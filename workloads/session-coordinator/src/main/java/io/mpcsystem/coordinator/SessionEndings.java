package io.mpcsystem.coordinator;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Answers clients waiting for a session to end, without them polling. The replica that settles a
 * session (a last report, or a timeout) publishes its id on a Redis channel; every replica wakes
 * the waiters it holds, which read the ended session from the database (the source of truth). A
 * lost notification only delays an answer until the waiter's own limit, after which the client
 * reads the state and asks again.
 */
@ApplicationScoped
public class SessionEndings {
    static final String CHANNEL = "mpc:coordinator:ended";
    private static final Logger LOG = Logger.getLogger(SessionEndings.class);

    @Inject
    RedisDataSource redis;
    @Inject
    SessionRepository sessions;

    private final Map<String, Set<Runnable>> waiters = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "session-await-timer"));
    // answers read the database: never on the Redis event loop or the timer
    private final ExecutorService answers = Executors.newCachedThreadPool(r -> daemon(r, "session-await-answer"));
    private PubSubCommands.RedisSubscriber subscriber;

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    void onStart(@Observes StartupEvent e) {
        try {
            subscriber = redis.pubsub(String.class).subscribe(CHANNEL, this::wake);
        } catch (RuntimeException ex) {
            // without Redis, waiters on this replica still wake for sessions it settles itself
            LOG.warnf("cannot subscribe to %s: %s", CHANNEL, ex.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent e) {
        if (subscriber != null) subscriber.unsubscribe();
        timer.shutdownNow();
        answers.shutdownNow();
    }

    /** A session has ended (its outcome is committed): wake its waiters on every replica. */
    public void ended(String sessionId) {
        try {
            redis.pubsub(String.class).publish(CHANNEL, sessionId);
        } catch (RuntimeException ex) {
            LOG.warnf("cannot publish the end of session %s to other replicas: %s", sessionId, ex.getMessage());
            wake(sessionId);
        }
    }

    private void wake(String sessionId) {
        Set<Runnable> w = waiters.remove(sessionId);
        if (w != null) w.forEach(answers::submit);
    }

    /**
     * Calls {@code answer} with the session once it has ended, or after {@code maxWait} with the
     * session as it is then; {@code refused} gets the reason it cannot (unknown session, database
     * unavailable). Exactly one of them is called, once.
     */
    public void await(String sessionId, Duration maxWait, Consumer<SessionRecord> answer, Consumer<RuntimeException> refused) {
        AtomicBoolean done = new AtomicBoolean();
        Runnable respond = () -> {
            if (!done.compareAndSet(false, true)) return;
            try {
                answer.accept(sessions.find(sessionId).orElseThrow(() -> CoordinatorException.notFound("no session " + sessionId)));
            } catch (RuntimeException e) {
                refused.accept(e);
            }
        };
        // registered before the first read, so an end committed in between still wakes it
        waiters.computeIfAbsent(sessionId, k -> ConcurrentHashMap.newKeySet()).add(respond);
        SessionRecord now;
        try {
            now = sessions.find(sessionId).orElseThrow(() -> CoordinatorException.notFound("no session " + sessionId));
        } catch (RuntimeException e) {
            forget(sessionId, respond);
            if (done.compareAndSet(false, true)) refused.accept(e);
            return;
        }
        if (now.isTerminal()) {
            forget(sessionId, respond);
            if (done.compareAndSet(false, true)) answer.accept(now);
            return;
        }
        timer.schedule(() -> {
            forget(sessionId, respond);
            answers.submit(respond);
        }, maxWait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void forget(String sessionId, Runnable respond) {
        waiters.computeIfPresent(sessionId, (k, set) -> {
            set.remove(respond);
            return set.isEmpty() ? null : set;
        });
    }

    /** Waiters not yet answered, for tests and metrics. */
    int waiting() {
        return waiters.values().stream().mapToInt(Set::size).sum();
    }
}
