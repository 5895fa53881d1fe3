package io.mpcsystem.account;

import com.google.protobuf.ByteString;
import io.mpcsystem.proto.coordinator.v1.CreateSessionRequest;
import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.proto.coordinator.v1.SessionStatus;
import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.Signature;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * Asks the coordinator for a signature and checks it against the account's own public key
 * before anyone sees it: the service must never hand out a signature that does not verify.
 */
@ApplicationScoped
public class SignRequester {
    private final CoordinatorClient coordinator;
    private final SessionAwaiter awaiter;
    private final RequestAuthorizer authorizer;

    SignRequester(CoordinatorClient coordinator, SessionAwaiter awaiter, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.awaiter = awaiter;
        this.authorizer = authorizer;
    }

    /**
     * Creates the SIGN session over {@code message} (the hash for ECDSA) and waits in the same
     * call, up to {@code deadline}, for it to end (a coordinator that cannot answers at once with
     * the session pending; {@link #await} then waits for it).
     */
    public Session start(Account account, byte[] message, Instant deadline) {
        // the authorization names exactly the bytes the request carries
        ByteString bytes = ByteString.copyFrom(message);
        String protocol = account.curve().protocol();
        Session session = coordinator.createAndAwait(CreateSessionRequest.newBuilder()
                .setKind(SessionKind.SIGN)
                .setProtocol(protocol)
                .setKeyId(account.keyId())
                .setMessage(bytes)
                .setAuthorization(authorizer.sign(protocol, account.keyId(), bytes, account.id()))
                .build(), Duration.between(Instant.now(), deadline));
        if (session.getSessionId().isEmpty()) throw ApiProblem.badGateway("the session coordinator returned a session without an id");
        return session;
    }

    /** The verified signature. @throws ApiProblem 502 if the run failed or its signature does not verify, 504 on timeout */
    public Signature await(Account account, byte[] message, Session started, Instant deadline) {
        String sessionId = started.getSessionId();
        Session done = started.getStatus() == SessionStatus.COMPLETED ? started : awaiter.completed(sessionId, deadline);
        OptionalInt recoveryId = done.hasRecoveryId() ? OptionalInt.of(done.getRecoveryId()) : OptionalInt.empty();
        Signature signature = new Signature(done.getSignature().toByteArray(), recoveryId);
        if (account.curve() == Curve.SECP256K1 && (recoveryId.isEmpty() || recoveryId.getAsInt() < 0 || recoveryId.getAsInt() > 3)) {
            throw ApiProblem.badGateway("sign session " + sessionId + " returned no valid recovery id", sessionId, null);
        }
        boolean valid;
        try {
            valid = Schemes.byId(account.curve().protocol()).verify(account.publicKey(), message, signature);
        } catch (RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            throw ApiProblem.badGateway("sign session " + sessionId + " returned a signature that does not verify against the account's key",
                    sessionId, null);
        }
        return signature;
    }
}
