package io.mpcsystem.operator.refresh;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.mpcsystem.operator.crd.KeySetStatus;
import io.mpcsystem.operator.crd.KeySetStatus.ShareRefreshStatus;
import io.mpcsystem.operator.keyset.RotationPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The share refresh as a state machine: given the recorded status and the coordinator, the status
 * to record next. No Kubernetes and no clock: its only effects go through the
 * {@link RefreshCoordinator} port, so every step, restart and failure is testable in memory.
 *
 * <p>A refresh needs every party of a key at once (the protocol re-randomises all shares
 * together), so the unit of the controlled rollout is the key, not the party: one refresh
 * session at a time, in key-id order, each committed by every party in two phases (they promote
 * the new share only once the coordinator reports the session completed, and discard it when it
 * failed). The first failure stops the pass; a new request resumes it at the key that failed.
 *
 * <p>An operator restart between asking for a session and recording its id finds the
 * coordinator refusing a second refresh of that key while the first runs ({@link
 * RefreshCoordinator.Busy}); it waits, and refreshes the key again once the orphan ended. A key
 * refreshed twice is harmless; a key refreshed by two sessions at once is what the coordinator
 * prevents.
 *
 * <p>Refresh and key-encryption-key rotation never overlap: a refresh starts only while no
 * rotation runs, and a rotation waits for a running refresh (see {@link RotationPlan.Inputs}).
 */
public final class RefreshPlan {
    public static final String IDLE = "Idle";
    public static final String REFRESHING = "Refreshing";
    public static final String FAILED = "Failed";

    /** How long to wait before asking the coordinator again about a running session. */
    public static final Duration POLL = Duration.ofSeconds(1);

    private RefreshPlan() {
    }

    /**
     * The inputs of one step.
     *
     * @param now          the controller's clock
     * @param createdAt    when the KeySet was created: the schedule counts from there until the first refresh
     * @param every        the refresh period, if scheduled
     * @param keyTimeout   how long the refresh of one key may take
     * @param request      the refresh-shares annotation's value (null when absent)
     * @param rotationIdle whether no key-encryption-key rotation is running or failed
     * @param coordinator  the session coordinator
     */
    public record Inputs(Instant now, Instant createdAt, Optional<Duration> every, Duration keyTimeout, String request, boolean rotationIdle,
                         RefreshCoordinator coordinator) {
    }

    /**
     * One step.
     *
     * @param next         the status to record
     * @param recheckAfter when to look again (null: only on a change)
     * @param event        something worth a Kubernetes Event (null: nothing)
     */
    public record Step(KeySetStatus next, Duration recheckAfter, RotationPlan.Event event) {
    }

    public static Step plan(KeySetStatus recorded, Inputs in) {
        KeySetStatus s = recorded == null ? new KeySetStatus() : Serialization.clone(recorded);
        if (s.refresh == null) s.refresh = new ShareRefreshStatus();
        return switch (s.refresh.phase == null ? IDLE : s.refresh.phase) {
            case REFRESHING -> refreshing(s, in);
            case FAILED -> failed(s, in);
            default -> idle(s, in);
        };
    }

    /** Whether a recorded status has a refresh running: key-encryption-key rotations wait for it. */
    public static boolean running(KeySetStatus s) {
        return s != null && s.refresh != null && REFRESHING.equals(s.refresh.phase);
    }

    private static Step idle(KeySetStatus s, Inputs in) {
        boolean requested = newRequest(s, in);
        Instant base = s.lastRefreshTime != null ? Instant.parse(s.lastRefreshTime) : in.createdAt();
        boolean due = in.every().isPresent() && base != null && !base.plus(in.every().get()).isAfter(in.now());
        if (!requested && !due) return new Step(s, nextCheck(s, in), null);
        return begin(s, in, requested);
    }

    private static Step failed(KeySetStatus s, Inputs in) {
        ShareRefreshStatus r = s.refresh;
        if (newRequest(s, in)) {
            if (!in.rotationIdle()) return waitForRotation(s);
            s.handledRefreshRequest = in.request();
            r.phase = REFRESHING;
            r.sessionId = null;
            r.keyStartedAt = in.now().toString();
            r.message = r.keyId == null ? "resuming the refresh after key " + r.after : "retrying the refresh from key " + r.keyId;
            return new Step(s, Duration.ZERO, new RotationPlan.Event(false, "RefreshRetried", r.message));
        }
        boolean due = in.every().isPresent() && r.startedAt != null && !Instant.parse(r.startedAt).plus(in.every().get()).isAfter(in.now());
        if (due) return begin(s, in, false);
        return new Step(s, nextCheck(s, in), null);
    }

    private static Step begin(KeySetStatus s, Inputs in, boolean requested) {
        if (!in.rotationIdle()) return waitForRotation(s);
        if (requested) s.handledRefreshRequest = in.request();
        ShareRefreshStatus r = new ShareRefreshStatus();
        r.phase = REFRESHING;
        r.startedAt = in.now().toString();
        r.keyStartedAt = r.startedAt;
        r.keysRefreshed = 0;
        r.message = (requested ? "requested" : "scheduled") + " refresh of every key's shares";
        s.refresh = r;
        return new Step(s, Duration.ZERO, new RotationPlan.Event(false, "RefreshStarted", r.message));
    }

    /** The request stays unhandled, so the refresh starts as soon as the rotation has ended. */
    private static Step waitForRotation(KeySetStatus s) {
        s.refresh.message = "a share refresh is due; it waits until the key-encryption-key rotation has ended";
        return new Step(s, RotationPlan.POLL, null);
    }

    private static Step refreshing(KeySetStatus s, Inputs in) {
        ShareRefreshStatus r = s.refresh;
        RefreshCoordinator c = in.coordinator();
        try {
            if (r.sessionId != null) {
                RefreshCoordinator.SessionState st = c.session(r.sessionId);
                if (st.failed()) {
                    return fail(s, in, "the refresh of key " + r.keyId + " failed in session " + r.sessionId + ": " + st.failureReason()
                            + (st.culprit() == null ? "" : " (culprit: party " + st.culprit() + ")")
                            + "; its parties discarded the shares they had staged and keep the previous ones");
                }
                if (!st.completed()) return waitOrFail(s, in, "refresh session " + r.sessionId + " of key " + r.keyId + " is " + st.status());
                r.keysRefreshed = (r.keysRefreshed == null ? 0 : r.keysRefreshed) + 1;
                r.after = r.keyId;
                r.keyId = null;
                r.sessionId = null;
                r.keyStartedAt = in.now().toString();
            }
            if (r.keyId == null) {
                List<String> next = c.keys(r.after, 1);
                if (next.isEmpty()) return finish(s, in);
                r.keyId = next.get(0);
                r.keyStartedAt = in.now().toString();
            }
            RefreshCoordinator.StartResult started = c.start(r.keyId);
            if (started instanceof RefreshCoordinator.Started ok) {
                r.sessionId = ok.sessionId();
                r.message = "refreshing key " + r.keyId + " in session " + r.sessionId + " (" + r.keysRefreshed + " done)";
                return new Step(s, POLL, null);
            }
            if (started instanceof RefreshCoordinator.NoSuchKey gone) {
                r.message = "key " + r.keyId + " is gone (" + gone.reason() + "); skipped";
                r.after = r.keyId;
                r.keyId = null;
                return new Step(s, Duration.ZERO, null);
            }
            return waitOrFail(s, in, "the coordinator does not start a refresh of key " + r.keyId + " yet: " + ((RefreshCoordinator.Busy) started).reason());
        } catch (RefreshCoordinator.Unavailable e) {
            return waitOrFail(s, in, "the coordinator is unavailable: " + e.getMessage());
        }
    }

    private static Step waitOrFail(KeySetStatus s, Inputs in, String why) {
        ShareRefreshStatus r = s.refresh;
        Instant since = Instant.parse(r.keyStartedAt != null ? r.keyStartedAt : r.startedAt);
        if (!since.plus(in.keyTimeout()).isAfter(in.now())) {
            return fail(s, in, "no progress on key " + (r.keyId == null ? "listing" : r.keyId) + " within " + in.keyTimeout() + ": " + why
                    + (r.sessionId == null ? "" : "; the parties follow the coordinator's outcome of session " + r.sessionId));
        }
        r.message = why;
        return new Step(s, POLL, null);
    }

    private static Step fail(KeySetStatus s, Inputs in, String why) {
        ShareRefreshStatus r = s.refresh;
        r.phase = FAILED;
        r.sessionId = null;
        r.message = why + "; " + (r.keysRefreshed == null ? 0 : r.keysRefreshed) + " keys were refreshed before; annotate "
                + "mpc.mpcsystem.io/refresh-shares to resume";
        s.lastRefreshResult = "Failed: " + r.message;
        return new Step(s, nextCheck(s, in), new RotationPlan.Event(true, "RefreshFailed", r.message));
    }

    private static Step finish(KeySetStatus s, Inputs in) {
        ShareRefreshStatus r = s.refresh;
        int n = r.keysRefreshed == null ? 0 : r.keysRefreshed;
        r.phase = IDLE;
        r.keyId = null;
        r.sessionId = null;
        r.keyStartedAt = null;
        r.message = "Succeeded: the shares of " + n + (n == 1 ? " key were" : " keys were") + " refreshed, public keys unchanged";
        s.lastRefreshTime = in.now().toString();
        s.lastRefreshResult = r.message;
        return new Step(s, nextCheck(s, in), new RotationPlan.Event(false, "SharesRefreshed", r.message));
    }

    private static boolean newRequest(KeySetStatus s, Inputs in) {
        return in.request() != null && !in.request().equals(s.handledRefreshRequest);
    }

    /** When the next scheduled refresh is due (null when none is scheduled). */
    private static Duration nextCheck(KeySetStatus s, Inputs in) {
        if (in.every().isEmpty()) return null;
        String from = FAILED.equals(s.refresh.phase) ? s.refresh.startedAt : s.lastRefreshTime;
        Instant base = from != null ? Instant.parse(from) : in.createdAt();
        if (base == null) return null;
        Duration wait = Duration.between(in.now(), base.plus(in.every().get()));
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}
