package io.mpcsystem.account;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.mpcsystem.proto.coordinator.v1.CreateSessionRequest;
import io.mpcsystem.proto.coordinator.v1.GetSessionRequest;
import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionCoordinatorGrpc;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.proto.coordinator.v1.SessionStatus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Asks the session coordinator for sessions and waits for their outcome. */
@ApplicationScoped
public class CoordinatorClient {
    private final ManagedChannel channel;
    private final SessionCoordinatorGrpc.SessionCoordinatorBlockingStub stub;

    public CoordinatorClient(@ConfigProperty(name = "mpc.coordinator.address") String address) {
        this.channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
        this.stub = SessionCoordinatorGrpc.newBlockingStub(channel);
    }

    void onStop(@Observes ShutdownEvent e) {
        channel.shutdownNow();
    }

    /** Creates a session and waits until it completed or failed; a timeout is reported as 504. */
    public Session run(SessionKind kind, String protocol, int threshold, int parties, String keyId, byte[] message, Duration timeout) {
        Session s;
        try {
            s = stub.withDeadlineAfter(10, TimeUnit.SECONDS).createSession(CreateSessionRequest.newBuilder().setKind(kind).setProtocol(protocol)
                    .setThreshold(threshold).setParties(parties).setKeyId(keyId == null ? "" : keyId).setMessage(ByteString.copyFrom(message)).build());
        } catch (StatusRuntimeException e) {
            throw new Problem(e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE ? 503 : 502,
                    "the session coordinator refused the session: " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
        }
        Instant deadline = Instant.now().plus(timeout);
        while (s.getStatus() != SessionStatus.COMPLETED && s.getStatus() != SessionStatus.FAILED) {
            if (Instant.now().isAfter(deadline)) throw new Problem(504, "session " + s.getSessionId() + " did not finish within " + timeout.toSeconds() + " s");
            try {
                TimeUnit.MILLISECONDS.sleep(50);
                s = stub.withDeadlineAfter(5, TimeUnit.SECONDS).getSession(GetSessionRequest.newBuilder().setSessionId(s.getSessionId()).build());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Problem(503, "interrupted");
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != io.grpc.Status.Code.UNAVAILABLE) throw new Problem(502, "the session coordinator failed: " + e.getStatus().getCode());
            }
        }
        return s;
    }
}
