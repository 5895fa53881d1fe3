package io.mpcsystem.operator.refresh;

import java.util.List;

/**
 * What a share refresh needs of the session coordinator: its keys, in order, and refresh
 * sessions. The HTTP implementation is {@link CoordinatorClient}; tests use an in-memory one.
 */
public interface RefreshCoordinator {
    /** Up to {@code limit} key ids after {@code after} (from the first when null), in the coordinator's order. */
    List<String> keys(String after, int limit);

    /** Asks for a refresh session of one key. */
    StartResult start(String keyId);

    /** Where a session stands. */
    SessionState session(String sessionId);

    /** The answer to a refresh request. */
    sealed interface StartResult {
    }

    /** The session was created. */
    record Started(String sessionId) implements StartResult {
    }

    /**
     * The coordinator refused because a refresh of this key is running already: typically one an
     * operator started just before it restarted, before it could record the session id.
     */
    record Busy(String reason) implements StartResult {
    }

    /** The key no longer exists. */
    record NoSuchKey(String reason) implements StartResult {
    }

    /**
     * A session's state.
     *
     * @param status        PENDING, RUNNING, COMPLETED or FAILED (as the coordinator names them)
     * @param failureReason why it failed, when it did
     * @param culprit       the party blamed for the failure, when one was
     */
    record SessionState(String status, String failureReason, String culprit) {
        public boolean completed() {
            return "COMPLETED".equals(status);
        }

        public boolean failed() {
            return "FAILED".equals(status);
        }
    }

    /** The coordinator could not be asked (unreachable, or an answer that makes no sense). */
    final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message) {
            super(message);
        }
    }
}
