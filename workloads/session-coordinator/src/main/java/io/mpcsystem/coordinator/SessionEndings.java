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

    // a waiter takes the ended session when this replica settled it, or null: then it reads it
    private final Map<String, Set<Consumer<SessionRecord>>> waiters = new ConcurrentHashMap<>();
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

    /**
     * A session has ended (its outcome is committed): its waiters here are answered with it at
     * once, without reading it back; those on other replicas wake through Redis.
     */
    public void ended(SessionRecord session) {
        wake(session.id(), session);
        try {
            redis.pubsub(String.class).publish(CHANNEL, session.id());
        } catch (RuntimeException ex) {
            LOG.warnf("cannot publish the end of session %s to other replicas: %s", session.id(), ex.getMessage());
        }
    }

    private void wake(String sessionId) {
        wake(sessionId, null);
    }

    private void wake(String sessionId, SessionRecord ended) {
        Set<Consumer<SessionRecord>> w = waiters.remove(sessionId);
        if (w != null) w.forEach(respond -> answers.submit(() -> respond.accept(ended)));
    }

    /**
     * Calls {@code answer} with the session once it has ended, or after {@code maxWait} with the
     * session as it is then; {@code refused} gets the reason it cannot (unknown session, database
     * unavailable). Exactly one of them is called, once.
     */
    public void await(String sessionId, Duration maxWait, Consumer<SessionRecord> answer, Consumer<RuntimeException> refused) {
        AtomicBoolean done = new AtomicBoolean();
        Consumer<SessionRecord> respond = responder(sessionId, done, answer, refused);
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
        answerAfter(sessionId, respond, maxWait);
    }

    /**
     * Like {@link #await} for a session that cannot have ended yet (it was just created and no
     * party has been invited): no read of its current state is needed.
     */
    public void awaitNew(String sessionId, Duration maxWait, Consumer<SessionRecord> answer, Consumer<RuntimeException> refused) {
        AtomicBoolean done = new AtomicBoolean();
        Consumer<SessionRecord> respond = responder(sessionId, done, answer, refused);
        waiters.computeIfAbsent(sessionId, k -> ConcurrentHashMap.newKeySet()).add(respond);
        answerAfter(sessionId, respond, maxWait);
    }

    /** At the end of the wait, the session as it stands then. */
    private void answerAfter(String sessionId, Consumer<SessionRecord> respond, Duration maxWait) {
        timer.schedule(() -> {
            forget(sessionId, respond);
            answers.submit(() -> respond.accept(null));
        }, maxWait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Answers once (guarded by {@code done}): with the ended session if given, else with the session as read now. */
    private Consumer<SessionRecord> responder(String sessionId, AtomicBoolean done, Consumer<SessionRecord> answer, Consumer<RuntimeException> refused) {
        return ended -> {
            if (!done.compareAndSet(false, true)) return;
            try {
                answer.accept(ended != null ? ended : sessions.find(sessionId).orElseThrow(() -> CoordinatorException.notFound("no session " + sessionId)));
            } catch (RuntimeException e) {
                refused.accept(e);
            }
        };
    }

    private void forget(String sessionId, Consumer<SessionRecord> respond) {
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
