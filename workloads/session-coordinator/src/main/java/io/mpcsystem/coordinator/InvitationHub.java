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
    private final Set<String> announcedHere = ConcurrentHashMap.newKeySet();

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

    /**
     * Announces a new (committed) session: this replica's watchers get it at once, without a
     * database read or a trip through Redis; the other replicas' through the channel.
     */
    public void announce(SessionRecord session) {
        deliver(session);
        if (announcedHere.size() > 10_000) announcedHere.clear(); // messages Redis dropped; a re-read is harmless
        announcedHere.add(session.id());
        try {
            redis.pubsub(String.class).publish(CHANNEL, session.id());
        } catch (RuntimeException ex) {
            announcedHere.remove(session.id());
            LOG.warnf("cannot publish session %s to other replicas: %s", session.id(), ex.getMessage());
        }
    }

    /** A session announced on the channel: one database read, however many members and watchers it has; none for our own. */
    private void deliver(String sessionId) {
        if (announcedHere.remove(sessionId)) return;
        sessions.find(sessionId).ifPresent(this::deliver);
    }

    private void deliver(SessionRecord s) {
        s.members().forEach(m -> {
            for (ServerCallStreamObserver<SessionInvitation> o : watchers.getOrDefault(m.partyId(), Set.of())) send(o, s);
        });
    }

    private static void send(ServerCallStreamObserver<SessionInvitation> observer, SessionRecord s) {
        if (observer.isCancelled()) return;
        synchronized (observer) {
            observer.onNext(SessionInvitation.newBuilder().setSession(SessionMapper.toProto(s)).build());
        }
    }
}
