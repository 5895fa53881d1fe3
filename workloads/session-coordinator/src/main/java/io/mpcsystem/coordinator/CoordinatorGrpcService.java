package io.mpcsystem.coordinator;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.mpcsystem.proto.coordinator.v1.AwaitSessionRequest;
import io.mpcsystem.proto.coordinator.v1.CreateSessionRequest;
import io.mpcsystem.proto.coordinator.v1.GetSessionRequest;
import io.mpcsystem.proto.coordinator.v1.JoinSessionRequest;
import io.mpcsystem.proto.coordinator.v1.JoinSessionResponse;
import io.mpcsystem.proto.coordinator.v1.RegisterPartyRequest;
import io.mpcsystem.proto.coordinator.v1.RegisterPartyResponse;
import io.mpcsystem.proto.coordinator.v1.ReportOutcomeRequest;
import io.mpcsystem.proto.coordinator.v1.ReportOutcomeResponse;
import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionCoordinatorGrpc;
import io.mpcsystem.proto.coordinator.v1.SessionInvitation;
import io.mpcsystem.proto.coordinator.v1.WatchSessionsRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.util.function.Supplier;

/** The coordinator's gRPC face; refusals map to INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, PERMISSION_DENIED. */
@GrpcService
public class CoordinatorGrpcService extends SessionCoordinatorGrpc.SessionCoordinatorImplBase {
    /** The longest AwaitSession: a client that needs longer asks again. */
    static final int MAX_AWAIT_MS = 60_000;
    private final SessionService service;
    private final InvitationHub invitations;
    private final SessionEndings endings;

    public CoordinatorGrpcService(SessionService service, InvitationHub invitations, SessionEndings endings) {
        this.service = service;
        this.invitations = invitations;
        this.endings = endings;
    }

    @Override
    @Blocking
    public void registerParty(RegisterPartyRequest request, StreamObserver<RegisterPartyResponse> out) {
        unary(out, () -> {
            service.register(request);
            return RegisterPartyResponse.getDefaultInstance();
        });
    }

    @Override
    @Blocking
    public void watchSessions(WatchSessionsRequest request, StreamObserver<SessionInvitation> out) {
        try {
            service.authenticateWatch(request);
            invitations.watch(request.getPartyId(), (ServerCallStreamObserver<SessionInvitation>) out);
        } catch (RuntimeException e) {
            out.onError(status(e).asRuntimeException());
        }
    }

    @Override
    @Blocking
    public void joinSession(JoinSessionRequest request, StreamObserver<JoinSessionResponse> out) {
        unary(out, () -> JoinSessionResponse.newBuilder()
                .setSession(SessionMapper.toProto(service.join(request))).build());
    }

    @Override
    @Blocking
    public void reportOutcome(ReportOutcomeRequest request, StreamObserver<ReportOutcomeResponse> out) {
        unary(out, () -> {
            service.report(request);
            return ReportOutcomeResponse.getDefaultInstance();
        });
    }

    @Override
    @Blocking
    public void createSession(CreateSessionRequest r, StreamObserver<Session> out) {
        SessionRequest request = new SessionRequest(r.getKind(), r.getProtocol(), r.getThreshold(), r.getParties(), r.getKeyId(), r.getMessage().toByteArray(),
                r.hasAuthorization() ? r.getAuthorization().toByteArray() : null);
        if (r.getAwaitMs() == 0) {
            unary(out, () -> SessionMapper.toProto(service.create(request)));
            return;
        }
        if (r.getAwaitMs() > MAX_AWAIT_MS) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("await_ms must be between 0 and " + MAX_AWAIT_MS).asRuntimeException());
            return;
        }
        try {
            // the waiter is in place before any party hears of the session, so its end cannot be missed
            service.create(request, created -> endings.awaitNew(created.id(), java.time.Duration.ofMillis(r.getAwaitMs()), s -> {
                out.onNext(SessionMapper.toProto(s));
                out.onCompleted();
            }, e -> out.onError(status(e).asRuntimeException())));
        } catch (RuntimeException e) {
            out.onError(status(e).asRuntimeException());
        }
    }

    @Override
    @Blocking
    public void getSession(GetSessionRequest request, StreamObserver<Session> out) {
        unary(out, () -> SessionMapper.toProto(service.get(request.getSessionId())));
    }

    @Override
    @Blocking
    public void awaitSession(AwaitSessionRequest request, StreamObserver<Session> out) {
        if (request.getSessionId().isBlank()) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("session_id is required").asRuntimeException());
            return;
        }
        if (request.getMaxWaitMs() < 1 || request.getMaxWaitMs() > MAX_AWAIT_MS) {
            out.onError(Status.INVALID_ARGUMENT.withDescription("max_wait_ms must be between 1 and " + MAX_AWAIT_MS).asRuntimeException());
            return;
        }
        // the answer comes from another thread when the session ends: no worker thread waits
        endings.await(request.getSessionId(), java.time.Duration.ofMillis(request.getMaxWaitMs()), s -> {
            out.onNext(SessionMapper.toProto(s));
            out.onCompleted();
        }, e -> out.onError(status(e).asRuntimeException()));
    }

    private static <T> void unary(StreamObserver<T> out, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            out.onError(status(e).asRuntimeException());
            return;
        }
        out.onNext(result);
        out.onCompleted();
    }

    static Status status(RuntimeException e) {
        if (e instanceof CoordinatorException c) {
            Status s = switch (c.kind()) {
                case INVALID -> Status.INVALID_ARGUMENT;
                case NOT_FOUND -> Status.NOT_FOUND;
                case CONFLICT -> Status.FAILED_PRECONDITION;
                case DENIED -> Status.PERMISSION_DENIED;
                case UNAUTHENTICATED -> Status.UNAUTHENTICATED;
            };
            return s.withDescription(c.getMessage());
        }
        if (e instanceof StoreUnavailable) return Status.UNAVAILABLE.withDescription(e.getMessage());
        return Status.INTERNAL.withDescription("internal error");
    }
}
