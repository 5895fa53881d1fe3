package io.mpcsystem.account;

import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * Waits for a session to end: the coordinator answers AwaitSession as soon as it has settled the
 * session, so the answer goes out without a polling delay and without polling load. Against a
 * coordinator without AwaitSession it polls, with a growing pause that keeps load low on long
 * runs while short runs still answer quickly.
 */
@ApplicationScoped
public class SessionAwaiter {
    // a signature takes a few hundred milliseconds: poll finely at first, and never so coarsely
    // that the wait dominates the answer time
    private static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(100);

    private final CoordinatorClient coordinator;

    SessionAwaiter(CoordinatorClient coordinator) {
        this.coordinator = coordinator;
    }

    /** The COMPLETED session. @throws ApiProblem 502 if it FAILED, 504 if it did not end before {@code deadline} */
    public Session completed(String sessionId, Instant deadline) {
        Duration pause = FIRST_PAUSE;
        while (true) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) throw timedOut(sessionId);
            Session session;
            try {
                session = coordinator.await(sessionId, left);
                if (session == null) session = coordinator.get(sessionId, left);
            } catch (ApiProblem e) {
                // a read cut short by our own deadline is our timeout, not an unavailable coordinator
                if (!Instant.now().isBefore(deadline)) throw timedOut(sessionId);
                throw e;
            }
            if (session.getStatus() == SessionStatus.COMPLETED) return session;
            if (session.getStatus() == SessionStatus.FAILED) throw failed(session);
            left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) throw timedOut(sessionId);
            if (coordinator.awaits()) continue; // it waited already
            pause(pause.compareTo(left) < 0 ? pause : left);
            Duration next = pause.multipliedBy(5).dividedBy(4);
            pause = next.compareTo(LONGEST_PAUSE) < 0 ? next : LONGEST_PAUSE;
        }
    }

    private static ApiProblem timedOut(String sessionId) {
        return ApiProblem.gatewayTimeout("session " + sessionId + " did not complete in time; the coordinator may still finish it", sessionId);
    }

    /**
     * The client learns that the session failed and its id, not the reason: the coordinator's and
     * the parties' failure texts name internals (parties, checks, hosts). They go to the log and
     * the audit trail (AccountService), where the session id finds them.
     */
    private static ApiProblem failed(Session session) {
        String reason = session.getFailureReason().isEmpty() ? "no reason given" : session.getFailureReason();
        String culprit = session.getCulpritPartyId().isEmpty() ? "" : " (culprit: " + session.getCulpritPartyId() + ")";
        String internal = "session " + session.getSessionId() + " failed: " + reason + culprit;
        return ApiProblem.badGateway(SESSION_FAILED, session.getSessionId(), internal);
    }

    static final String SESSION_FAILED = "the signing parties could not complete the session; "
            + "the service logged the cause under the correlation id (the session id)";

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.unavailable("the service is shutting down");
        }
    }
}
