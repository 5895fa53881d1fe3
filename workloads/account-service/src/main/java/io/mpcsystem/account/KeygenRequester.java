package io.mpcsystem.account;

import io.mpcsystem.proto.coordinator.v1.CreateSessionRequest;
import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

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

    /** Creates the KEYGEN session, signed for the parties; its id. */
    public String start(Curve curve) {
        int threshold = config.accounts().threshold();
        int parties = config.accounts().parties();
        Session session = coordinator.create(CreateSessionRequest.newBuilder()
                .setKind(SessionKind.KEYGEN)
                .setProtocol(curve.protocol())
                .setThreshold(threshold)
                .setParties(parties)
                .setAuthorization(authorizer.keygen(curve.protocol(), threshold, parties))
                .build());
        if (session.getSessionId().isEmpty()) throw ApiProblem.badGateway("the session coordinator returned a session without an id");
        return session.getSessionId();
    }

    /** Waits for the session and returns the key. @throws ApiProblem 502 for a failed run or a malformed result, 504 on timeout */
    public GeneratedKey await(Curve curve, String sessionId, Instant deadline) {
        Session done = awaiter.completed(sessionId, deadline);
        if (done.getKeyId().isEmpty()) {
            throw ApiProblem.badGateway("keygen session " + sessionId + " completed without a key id", sessionId, null);
        }
        try {
            return new GeneratedKey(done.getKeyId(), curve.canonicalPublicKey(done.getPublicKey().toByteArray()));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badGateway("keygen session " + sessionId + " returned an invalid " + curve.id() + " public key", sessionId, null);
        }
    }
}
