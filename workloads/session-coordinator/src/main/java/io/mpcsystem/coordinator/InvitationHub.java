package io.mpcsystem.coordinator;

import io.grpc.stub.ServerCallStreamObserver;
import io.mpcsystem.proto.coordinator.v1.SessionInvitation;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Tells watching parties about new sessions. Parties may be connected to any coordinator
 * replica, so a new session's id is published on a Redis channel and every replica forwards the
 * session to the watchers connected to it. The database stays the source of truth: a party that
 * (re)connects is first sent every open session it has not reported on.
 */
@ApplicationScoped
public class InvitationHub {
    static final String CHANNEL = "mpc:coordinator:sessions";
    private static final Logger LOG = Logger.getLogger(InvitationHub.class);

    @Inject
    RedisDataSource redis;
    @Inject
    SessionRepository sessions;
    @Inject
    PartyPresence presence;

    private final Map<String, Set<ServerCallStreamObserver<SessionInvitation>>> watchers = new ConcurrentHashMap<>();
    // database reads for a notification must not run on the Redis event loop
    private final ExecutorService fanOut = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "invitation-fan-out");
        t.setDaemon(true);
        return t;
    });
    private PubSubCommands.RedisSubscriber subscriber;

    void onStart(@Observes StartupEvent e) {
        try {
            subscriber = redis.pubsub(String.class).subscribe(CHANNEL, id -> fanOut.submit(() -> deliver(id)));
        } catch (RuntimeException ex) {
            // without Redis this replica still serves the parties connected to it (see announce)
            LOG.warnf("cannot subscribe to %s: %s", CHANNEL, ex.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent e) {
        if (subscriber != null) subscriber.unsubscribe();
        fanOut.shutdownNow();
    }

    /** A party's invitation stream; pending sessions first. */
    public void watch(String partyId, ServerCallStreamObserver<SessionInvitation> observer) {
        Set<ServerCallStreamObserver<SessionInvitation>> set = watchers.computeIfAbsent(partyId, p -> ConcurrentHashMap.newKeySet());
        set.add(observer);
        presence.connected(partyId);
        observer.setOnCancelHandler(() -> {
            set.remove(observer);
            presence.disconnected(partyId);
        });
        for (String id : sessions.openSessionsFor(partyId)) sessions.find(id).ifPresent(s -> send(observer, s));
    }

    /** Announces a new session to every replica's watchers. */
    public void announce(String sessionId) {
        try {
            redis.pubsub(String.class).publish(CHANNEL, sessionId);
        } catch (RuntimeException ex) {
            LOG.warnf("cannot publish session %s to other replicas: %s", sessionId, ex.getMessage());
            fanOut.submit(() -> deliver(sessionId));
        }
    }

    /** One database read per new session, however many members and watchers it has. */
    private void deliver(String sessionId) {
        sessions.find(sessionId).ifPresent(s -> s.members().forEach(m -> {
            for (ServerCallStreamObserver<SessionInvitation> o : watchers.getOrDefault(m.partyId(), Set.of())) send(o, s);
        }));
    }

    private static void send(ServerCallStreamObserver<SessionInvitation> observer, SessionRecord s) {
        if (observer.isCancelled()) return;
        synchronized (observer) {
            observer.onNext(SessionInvitation.newBuilder().setSession(SessionMapper.toProto(s)).build());
        }
    }
}
