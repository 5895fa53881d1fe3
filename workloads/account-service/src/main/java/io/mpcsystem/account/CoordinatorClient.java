package io.mpcsystem.account;

import io.grpc.ManagedChannel;
import io.mpcsystem.proto.CallerToken;
import io.mpcsystem.proto.GrpcChannels;
import io.quarkus.runtime.Startup;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.mpcsystem.proto.coordinator.v1.AwaitSessionRequest;
import io.mpcsystem.proto.coordinator.v1.CreateSessionRequest;
import io.mpcsystem.proto.coordinator.v1.GetSessionRequest;
import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionCoordinatorGrpc;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** The session coordinator's gRPC API, with gRPC failures turned into what the client should see. */
@ApplicationScoped
@Startup // made at start-up, so a missing token stops the service at once
public class CoordinatorClient {
    private static final Logger LOG = Logger.getLogger(CoordinatorClient.class);

    private final ManagedChannel channel;
    private final SessionCoordinatorGrpc.SessionCoordinatorBlockingStub stub;
    private final Duration callTimeout;
    /** Longest single AwaitSession: long enough to answer most runs in one call, short enough to notice a lost notification. */
    private static final Duration MAX_AWAIT = Duration.ofSeconds(10);
    private volatile boolean awaitSupported = true;

    CoordinatorClient(AccountConfig config) {
        String token = config.coordinator().token().map(String::strip).filter(t -> !t.isEmpty())
                .orElseThrow(() -> new IllegalStateException("MPC_COORDINATOR_TOKEN (mpc.coordinator.token) is not set: "
                        + "the session coordinator accepts only callers presenting their token"));
        this.channel = GrpcChannels.open(config.coordinator().address(), config.tls().caFile().orElse(null));
        // every call carries the token (authorization: Bearer ...); the interceptor never shows it
        this.stub = SessionCoordinatorGrpc.newBlockingStub(channel).withInterceptors(new CallerToken(token));
        this.callTimeout = config.coordinator().callTimeout();
    }

    public Session create(CreateSessionRequest request) {
        try {
            return stub.withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS).createSession(request);
        } catch (StatusRuntimeException e) {
            throw translate("create a session", e);
        }
    }

    /**
     * Creates a session and lets the coordinator answer once it has ended, within {@code bound}
     * (at most the longest single wait); the caller checks whether it did. Against an older
     * coordinator the answer is the new session, pending.
     */
    public Session createAndAwait(CreateSessionRequest request, Duration bound) {
        long wait = Math.max(1, Math.min(bound.toMillis(), MAX_AWAIT.toMillis()));
        try {
            return stub.withDeadlineAfter(wait + callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .createSession(request.toBuilder().setAwaitMs((int) wait).build());
        } catch (StatusRuntimeException e) {
            throw translate("create a session", e);
        }
    }

    /** Reads a session, waiting at most {@code bound} (never more than the per-call timeout). */
    public Session get(String sessionId, Duration bound) {
        long millis = Math.max(1, Math.min(bound.toMillis(), callTimeout.toMillis()));
        try {
            return stub.withDeadlineAfter(millis, TimeUnit.MILLISECONDS)
                    .getSession(GetSessionRequest.newBuilder().setSessionId(sessionId).build());
        } catch (StatusRuntimeException e) {
            throw translate("read session " + sessionId, e);
        }
    }

    /**
     * Waits up to {@code bound} for a session to end and returns it as it is then. Against a
     * coordinator without AwaitSession (an older one during a rolling upgrade) returns null, and
     * the caller polls instead.
     */
    public Session await(String sessionId, Duration bound) {
        if (!awaitSupported) return null;
        long wait = Math.max(1, Math.min(bound.toMillis(), MAX_AWAIT.toMillis()));
        try {
            // the call may take the whole wait, plus the usual time of a call
            return stub.withDeadlineAfter(wait + callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .awaitSession(AwaitSessionRequest.newBuilder().setSessionId(sessionId).setMaxWaitMs((int) wait).build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                awaitSupported = false;
                LOG.info("the session coordinator has no AwaitSession; polling sessions instead");
                return null;
            }
            throw translate("wait for session " + sessionId, e);
        }
    }

    /** Whether {@link #await} waits (false once the coordinator turned out not to offer it). */
    public boolean awaits() {
        return awaitSupported;
    }

    /**
     * What the client sees of a failed call: a fixed text and a correlation id. The coordinator's
     * description (which may name internals) goes only to the log, under that id.
     */
    private static ApiProblem translate(String action, StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        String correlationId = UUID.randomUUID().toString();
        String internal = "coordinator call failed (" + action + "): " + e.getStatus();
        switch (code) {
            case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED -> {
                LOG.warnf("[%s] %s", correlationId, internal);
                return ApiProblem.unavailable("the session coordinator is unavailable (" + code + "); try again later");
            }
            case UNAUTHENTICATED, PERMISSION_DENIED -> {
                LOG.errorf("[%s] %s: the coordinator does not accept this service's credentials "
                        + "(check MPC_COORDINATOR_TOKEN and MPC_REQUEST_SIGNING_KEY against the coordinator's and parties' configuration)",
                        correlationId, internal);
                return ApiProblem.badGateway("the session coordinator refused the request; the service logged the cause under the correlation id",
                        correlationId, internal);
            }
            case INVALID_ARGUMENT, FAILED_PRECONDITION, NOT_FOUND, ALREADY_EXISTS -> {
                LOG.warnf("[%s] %s", correlationId, internal);
                return ApiProblem.badGateway("the session coordinator refused the request; the service logged the cause under the correlation id",
                        correlationId, internal);
            }
            default -> {
                LOG.warnf("[%s] %s", correlationId, internal);
                return ApiProblem.badGateway("the session coordinator failed to answer; the service logged the cause under the correlation id",
                        correlationId, internal);
            }
        }
    }

    @PreDestroy
    void close() {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) channel.shutdownNow();
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
