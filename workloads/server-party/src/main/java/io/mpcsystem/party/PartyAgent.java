package io.mpcsystem.party;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.mpcsystem.proto.coordinator.v1.JoinSessionRequest;
import io.mpcsystem.proto.coordinator.v1.RegisterPartyRequest;
import io.mpcsystem.proto.coordinator.v1.ReportOutcomeRequest;
import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionCoordinatorGrpc;
import io.mpcsystem.proto.coordinator.v1.SessionInvitation;
import io.mpcsystem.proto.coordinator.v1.WatchSessionsRequest;
import io.mpcsystem.proto.router.v1.MessageRouterGrpc;
import io.mpcsystem.proto.SignedBytes;
import io.mpcsystem.proto.router.v1.PublishRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The party's connection to the system: registers its identity with the coordinator, watches
 * for invitations, and runs each session (join, exchange envelopes through the router, report).
 * Reconnects to a restarted coordinator by itself.
 */
public final class PartyAgent implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PartyAgent.class.getName());

    private final PartyIdentity identity;
    private final SessionExecutor executor;
    private final RefreshCommit refreshCommit;
    private final SessionCoordinatorGrpc.SessionCoordinatorBlockingStub coordinator;
    private final SessionCoordinatorGrpc.SessionCoordinatorStub coordinatorAsync;
    private final MessageRouterGrpc.MessageRouterStub routerAsync;
    private final MessageRouterGrpc.MessageRouterBlockingStub router;
    private final ExecutorService workers;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "party-agent-retry");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService publishers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "party-publish");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean connected = new AtomicBoolean();
    private volatile boolean closed;

    public PartyAgent(PartyIdentity identity, SessionExecutor executor, RefreshCommit refreshCommit, ManagedChannel coordinatorChannel,
                      ManagedChannel routerChannel, int parallelSessions) {
        this.identity = identity;
        this.executor = executor;
        this.refreshCommit = refreshCommit;
        this.coordinator = SessionCoordinatorGrpc.newBlockingStub(coordinatorChannel);
        this.coordinatorAsync = SessionCoordinatorGrpc.newStub(coordinatorChannel);
        this.router = MessageRouterGrpc.newBlockingStub(routerChannel);
        this.routerAsync = MessageRouterGrpc.newStub(routerChannel);
        this.workers = new java.util.concurrent.ThreadPoolExecutor(parallelSessions, parallelSessions, 0, TimeUnit.MILLISECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(MAX_WAITING), r -> {
            Thread t = new Thread(r, "party-session");
            t.setDaemon(true);
            return t;
        });
    }

    /** Invitations that may wait for a free worker; beyond it they are refused, not queued without end. */
    static final int MAX_WAITING = 256;

    private JoinSessionRequest signedJoin(String sessionId) {
        JoinSessionRequest join = JoinSessionRequest.newBuilder().setSessionId(sessionId).setPartyId(identity.partyId()).build();
        return join.toBuilder().setSignature(ByteString.copyFrom(EnvelopeCodec.sign(identity, SignedBytes.join(join)))).build();
    }

    private static com.google.protobuf.Timestamp now() {
        java.time.Instant n = java.time.Instant.now();
        return com.google.protobuf.Timestamp.newBuilder().setSeconds(n.getEpochSecond()).setNanos(n.getNano()).build();
    }

    /** True while registered and watching for invitations (readiness). */
    public boolean isConnected() {
        return connected.get();
    }

    public void start() {
        connect();
    }

    private void connect() {
        if (closed) return;
        try {
            RegisterPartyRequest registration = RegisterPartyRequest.newBuilder()
                    .setIdentity(io.mpcsystem.proto.coordinator.v1.PartyIdentity.newBuilder().setPartyId(identity.partyId())
                            .setSigningKey(ByteString.copyFrom(identity.signingKey()))
                            .setEncryptionKey(ByteString.copyFrom(identity.encryptionKey())))
                    .setIssuedAt(now()).build();
            coordinator.withDeadlineAfter(5, TimeUnit.SECONDS).registerParty(registration.toBuilder()
                    .setSignature(ByteString.copyFrom(EnvelopeCodec.sign(identity, SignedBytes.registration(registration)))).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == io.grpc.Status.Code.PERMISSION_DENIED) {
                // not provisioned, or another identity holds this id: say so, it will not fix itself quickly
                LOG.log(Level.SEVERE, "the coordinator refuses this party: {0}; retrying in 30 s", e.getStatus().getDescription());
                retry.schedule(this::connect, 30, TimeUnit.SECONDS);
                return;
            }
            LOG.log(Level.WARNING, "cannot register with the coordinator ({0}); retrying", e.getStatus().getCode());
            retry.schedule(this::connect, 1, TimeUnit.SECONDS);
            return;
        }
        // refreshed shares left staged by a crash or an unreachable coordinator
        workers.submit(() -> refreshCommit.settleAll(this::outcome));
        WatchSessionsRequest watch = WatchSessionsRequest.newBuilder().setPartyId(identity.partyId()).setIssuedAt(now()).build();
        watch = watch.toBuilder().setSignature(ByteString.copyFrom(EnvelopeCodec.sign(identity, SignedBytes.watch(watch)))).build();
        coordinatorAsync.watchSessions(watch, new StreamObserver<>() {
            @Override
            public void onNext(SessionInvitation invitation) {
                connected.set(true);
                Session s = invitation.getSession();
                if (seen.add(s.getSessionId())) {
                    try {
                        workers.submit(() -> {
                            try {
                                handle(s);
                            } finally {
                                forgetLater(s.getSessionId());
                            }
                        });
                    } catch (java.util.concurrent.RejectedExecutionException full) {
                        // more invitations waiting than this party can run: the coordinator times this one out
                        seen.remove(s.getSessionId());
                        LOG.log(Level.WARNING, "session {0} refused: {1} sessions already waiting", new Object[] {s.getSessionId(), MAX_WAITING});
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                connected.set(false);
                if (!closed) retry.schedule(PartyAgent.this::connect, 1, TimeUnit.SECONDS);
            }

            @Override
            public void onCompleted() {
                connected.set(false);
                if (!closed) retry.schedule(PartyAgent.this::connect, 1, TimeUnit.SECONDS);
            }
        });
        connected.set(true);
    }

    /**
     * A handled session stays remembered long enough to ignore the coordinator re-sending it on a
     * reconnect, then is forgotten: with presignatures made all day, remembering every session
     * would grow without end.
     */
    private void forgetLater(String sessionId) {
        try {
            retry.schedule(() -> seen.remove(sessionId), 10, TimeUnit.MINUTES);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            seen.remove(sessionId);
        }
    }

    private void handle(Session invited) {
        if (SessionExecutor.usesPresignature(invited)) {
            signWithPresignature(invited);
            return;
        }
        try {
            // the join goes out while the first round runs: the invitation already carries the
            // roster and deadline, and the coordinator checks membership again on the report
            java.util.concurrent.CompletableFuture<Session> joined = java.util.concurrent.CompletableFuture.supplyAsync(() -> coordinator
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .joinSession(signedJoin(invited.getSessionId()))
                    .getSession(), publishers);
            ReportOutcomeRequest report;
            try (RouterSubscription sub = new RouterSubscription(routerAsync, invited.getSessionId(), identity.partyId())) {
                java.time.Instant deadline = java.time.Instant.ofEpochSecond(invited.getDeadline().getSeconds());
                report = executor.execute(invited, sub.queue(), batch -> publish(batch, deadline));
            }
            Session session = joinResult(joined);
            coordinator.withDeadlineAfter(10, TimeUnit.SECONDS).reportOutcome(report);
            LOG.log(Level.INFO, "session {0} ({1}) ended: {2}", new Object[] {session.getSessionId(), session.getKind(),
                    report.hasSuccess() ? "success" : "failure: " + report.getFailure().getReason()});
            if (session.getKind() == io.mpcsystem.proto.coordinator.v1.SessionKind.REFRESH && report.hasSuccess()) {
                java.time.Instant until = java.time.Instant.ofEpochSecond(session.getDeadline().getSeconds()).plusSeconds(30);
                refreshCommit.settle(session.getKeyId(), session.getSessionId(), awaitOutcome(session.getSessionId(), until));
            }
        } catch (StatusRuntimeException e) {
            LOG.log(Level.WARNING, "session {0}: {1}", new Object[] {invited.getSessionId(), e.getStatus()});
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "session {0}: {1}", new Object[] {invited.getSessionId(), e.getMessage()});
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One step and one report: no join (the coordinator settles the session on the reports alone)
     * and no router subscription, which is what makes a presigned signature cheap.
     */
    private void signWithPresignature(Session invited) {
        ReportOutcomeRequest report = executor.executeWithPresignature(invited);
        try {
            coordinator.withDeadlineAfter(10, TimeUnit.SECONDS).reportOutcome(report);
            if (report.hasFailure()) {
                LOG.log(Level.WARNING, "session {0} (presigned SIGN) failed: {1}", new Object[] {invited.getSessionId(), report.getFailure().getReason()});
            }
        } catch (StatusRuntimeException e) {
            LOG.log(Level.WARNING, "session {0}: {1}", new Object[] {invited.getSessionId(), e.getStatus()});
        }
    }

    /** The join's answer; a refused join (not in the roster, unknown session) means no report. */
    private static Session joinResult(java.util.concurrent.CompletableFuture<Session> joined) throws InterruptedException {
        try {
            return joined.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException s) throw s;
            throw new IllegalStateException("joining the session failed", e.getCause());
        }
    }

    /** What the coordinator decided about a session: COMPLETED or FAILED once terminal, UNKNOWN until then or when unreachable. */
    private RefreshCommit.Outcome outcome(String sessionId) {
        try {
            io.mpcsystem.proto.coordinator.v1.SessionStatus status = coordinator.withDeadlineAfter(5, TimeUnit.SECONDS)
                    // a signed join answers with the session as it stands (a member's own way to read it:
                    // reading sessions is otherwise for the coordinator's clients, with their tokens)
                    .joinSession(signedJoin(sessionId)).getSession().getStatus();
            return switch (status) {
                case COMPLETED -> RefreshCommit.Outcome.COMPLETED;
                case FAILED -> RefreshCommit.Outcome.FAILED;
                default -> RefreshCommit.Outcome.UNKNOWN;
            };
        } catch (StatusRuntimeException e) {
            // a session the coordinator never recorded cannot have completed
            return e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND ? RefreshCommit.Outcome.FAILED : RefreshCommit.Outcome.UNKNOWN;
        }
    }

    /** Waits for the other parties' reports to settle the session, until {@code until}. */
    private RefreshCommit.Outcome awaitOutcome(String sessionId, java.time.Instant until) throws InterruptedException {
        while (!closed) {
            RefreshCommit.Outcome o = outcome(sessionId);
            if (o != RefreshCommit.Outcome.UNKNOWN || java.time.Instant.now().isAfter(until)) return o;
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return RefreshCommit.Outcome.UNKNOWN;
    }

    /**
     * Publishes one round's envelopes side by side: a round costs one round trip to the router
     * instead of one per envelope. Returns when every envelope is stored.
     */
    private void publish(java.util.List<io.mpcsystem.proto.router.v1.Envelope> batch, java.time.Instant deadline) {
        if (batch.size() == 1) {
            publish(batch.get(0), deadline);
            return;
        }
        java.util.List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
        for (io.mpcsystem.proto.router.v1.Envelope e : batch) sent.add(publishers.submit(() -> publish(e, deadline)));
        RuntimeException first = null;
        for (java.util.concurrent.Future<?> f : sent) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException ex) {
                if (first == null) first = ex.getCause() instanceof RuntimeException r ? r : new IllegalStateException(ex.getCause());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                sent.forEach(x -> x.cancel(true));
                throw new IllegalStateException("interrupted while publishing");
            }
        }
        if (first != null) throw first;
    }

    /** Publishes, retrying while the router is unavailable (e.g. restarting) until the session's deadline. */
    private void publish(io.mpcsystem.proto.router.v1.Envelope e, java.time.Instant deadline) {
        long backoff = 100;
        while (true) {
            try {
                router.withDeadlineAfter(5, TimeUnit.SECONDS).publish(PublishRequest.newBuilder().setEnvelope(e).build());
                return;
            } catch (StatusRuntimeException ex) {
                io.grpc.Status.Code code = ex.getStatus().getCode();
                boolean transientFailure = code == io.grpc.Status.Code.UNAVAILABLE || code == io.grpc.Status.Code.DEADLINE_EXCEEDED;
                if (!transientFailure || java.time.Instant.now().plusMillis(backoff).isAfter(deadline)) throw ex;
                try {
                    TimeUnit.MILLISECONDS.sleep(backoff);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
                backoff = Math.min(backoff * 2, 1000);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
        publishers.shutdownNow();
        retry.shutdownNow();
    }
}
