package io.mpcsystem.account;

import io.mpcsystem.proto.coordinator.v1.CreateSessionRequest;
import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.proto.coordinator.v1.SignedAuthorization;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;

/** Asks the coordinator for a distributed key generation and checks what comes back. */
@ApplicationScoped
public class KeygenRequester {
    private final CoordinatorClient coordinator;
    private final SessionAwaiter awaiter;
    private final AccountConfig config;
    private final RequestAuthorizer authorizer;

    KeygenRequester(CoordinatorClient coordinator, SessionAwaiter awaiter, AccountConfig config, RequestAuthorizer authorizer) {
        this.coordinator = coordinator;
        this.awaiter = awaiter;
        this.config = config;
        this.authorizer = authorizer;
    }

    /** A KEYGEN session asked for: its id (the authorization's request id) and the key id it was authorized for. */
    public record Started(String sessionId, String keyId) {
    }

    /** Creates the KEYGEN session, signed for the parties under a key id chosen here. */
    public Started start(Curve curve) {
        int threshold = config.accounts().threshold();
        int parties = config.accounts().parties();
        String keyId = "key-" + UUID.randomUUID();
        SignedAuthorization authorization = authorizer.keygen(curve.protocol(), threshold, parties, keyId);
        Session session = coordinator.create(CreateSessionRequest.newBuilder()
                .setKind(SessionKind.KEYGEN)
                .setProtocol(curve.protocol())
                .setThreshold(threshold)
                .setParties(parties)
                .setKeyId(keyId)
                .setAuthorization(authorization)
                .build());
        if (session.getSessionId().isEmpty()) throw ApiProblem.badGateway("the session coordinator returned a session without an id");
        if (!session.getKeyId().isEmpty() && !session.getKeyId().equals(keyId)) {
            throw ApiProblem.badGateway("the session coordinator made a key generation under another key id than the one authorized", session.getSessionId(), null);
        }
        return new Started(session.getSessionId(), keyId);
    }

    /** Waits for the session and returns the key. @throws ApiProblem 502 for a failed run or a malformed result, 504 on timeout */
    public GeneratedKey await(Curve curve, Started started, Instant deadline) {
        String sessionId = started.sessionId();
        Session done = awaiter.completed(sessionId, deadline);
        if (!done.getKeyId().equals(started.keyId())) {
            throw ApiProblem.badGateway("keygen session " + sessionId + " completed under another key id than the one authorized", sessionId, null);
        }
        try {
            return new GeneratedKey(done.getKeyId(), curve.canonicalPublicKey(done.getPublicKey().toByteArray()));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badGateway("keygen session " + sessionId + " returned an invalid " + curve.id() + " public key", sessionId, null);
        }
    }
}
