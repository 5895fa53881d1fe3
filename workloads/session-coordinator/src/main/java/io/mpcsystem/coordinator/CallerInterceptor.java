package io.mpcsystem.coordinator;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.mpcsystem.proto.CallerToken;
import io.mpcsystem.proto.coordinator.v1.CreateSessionRequest;
import io.mpcsystem.proto.coordinator.v1.SessionCoordinatorGrpc;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Checks a client's rights on the gRPC calls meant for clients (creating and reading sessions)
 * before the call reaches the service; the parties' calls pass, their own signatures are checked
 * by the service. The check of CreateSession waits for the request, whose kind decides.
 */
@ApplicationScoped
@GlobalInterceptor
public class CallerInterceptor implements ServerInterceptor {
    private static final String CREATE = SessionCoordinatorGrpc.getCreateSessionMethod().getFullMethodName();
    private static final Set<String> READ = Set.of(SessionCoordinatorGrpc.getGetSessionMethod().getFullMethodName(),
            SessionCoordinatorGrpc.getAwaitSessionMethod().getFullMethodName());

    private final CallerRights rights;

    public CallerInterceptor(CallerRights rights) {
        this.rights = rights;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        String header = headers.get(CallerToken.AUTHORIZATION);
        if (READ.contains(method)) {
            try {
                rights.requireToRead(header);
            } catch (CoordinatorException e) {
                call.close(CoordinatorGrpcService.status(e), new Metadata());
                return new ServerCall.Listener<>() {
                };
            }
            return next.startCall(call, headers);
        }
        if (!CREATE.equals(method)) return next.startCall(call, headers);
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                try {
                    rights.requireToCreate(header, ((CreateSessionRequest) message).getKind());
                } catch (CoordinatorException e) {
                    refused = true;
                    call.close(CoordinatorGrpcService.status(e), new Metadata());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) super.onHalfClose();
            }
        };
    }

}
