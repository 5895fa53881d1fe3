package io.mpcsystem.operator.keyset;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.mpcsystem.operator.crd.KeySetStatus;
import io.mpcsystem.operator.crd.KeySetStatus.PartyKeyStatus;
import io.mpcsystem.operator.crd.KeySetStatus.RetiredVersion;
import io.mpcsystem.operator.crd.KeySetStatus.RotationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The key rotation as a pure state machine: given the recorded status and what is observed now,
 * the actions to take and the status to record once they succeeded. No I/O, no clock: the
 * controller supplies both, so every step, restart and failure can be tested without a cluster.
 *
 * <p>The invariant every step keeps: each share is wrapped by a key version that is in its
 * party's Secret. Keys are written before Secrets name them; the previous key stays in the
 * Secrets until every party reported all its shares under the new version; a rollback is a
 * rotation back to the old version, with the new one as previous.
 */
public final class RotationPlan {
    public static final String IDLE = "Idle";
    public static final String WRITING_KEYS = "WritingKeys";
    public static final String UPDATING_SECRETS = "UpdatingSecrets";
    public static final String ROLLING = "RollingParties";
    public static final String FINALIZING = "Finalizing";
    public static final String FAILED = "Failed";
    public static final String ROTATE = "Rotate";
    public static final String ROLLBACK = "Rollback";

    /** How long to wait before looking again while a rollout waits on a party. */
    public static final Duration POLL = Duration.ofSeconds(5);

    private RotationPlan() {
    }

    /**
     * The inputs of one step.
     *
     * @param keySet          the KeySet's name (for the pod-template hashes)
     * @param parties         n
     * @param now             the controller's clock
     * @param every           the rotation period, if scheduled
     * @param partyTimeout    how long one party may take
     * @param grace           how long retired versions are kept
     * @param rotateRequest   the rotate annotation's value (null when absent)
     * @param rollbackRequest the rollback annotation's value (null when absent)
     * @param observe         what party i looks like now (only asked for the party being rolled)
     * @param refreshRunning  a share refresh is running: a due or requested rotation waits for it,
     *                        so that parties never re-wrap shares while they stage refreshed ones
     */
    public record Inputs(String keySet, int parties, Instant now, Optional<Duration> every, Duration partyTimeout, Duration grace,
                         String rotateRequest, String rollbackRequest, IntFunction<PartyObservation> observe, boolean refreshRunning) {
    }

    /**
     * One step.
     *
     * @param actions      to run, in order, before recording {@code next}
     * @param next         the status to record after the actions succeeded
     * @param recheckAfter when to look again (null: only on a change)
     * @param event        something worth a Kubernetes Event (null: nothing)
     */
    public record Step(List<RotationAction> actions, KeySetStatus next, Duration recheckAfter, Event event) {
    }

    /** A Kubernetes Event to record. */
    public record Event(boolean warning, String reason, String message) {
    }

    public static Step plan(KeySetStatus recorded, Inputs in) {
        KeySetStatus s = copy(recorded);
        if (s.rotation == null) s.rotation = new RotationStatus();
        if (s.currentVersion == null) return create(s, in);
        RotationStatus r = s.rotation;
        return switch (r.phase) {
            case WRITING_KEYS -> new Step(List.of(new RotationAction.WriteKeys(r.toVersion)), phase(s, UPDATING_SECRETS), Duration.ZERO, null);
            case UPDATING_SECRETS -> {
                List<RotationAction> a = List.of(new RotationAction.WriteSecrets(r.toVersion, r.fromVersion));
                r.phase = ROLLING;
                release(s, in, 1);
                yield new Step(a, s, Duration.ZERO, null);
            }
            case ROLLING -> rolling(s, in);
            case FINALIZING -> finalizing(s, in);
            case FAILED -> failed(s, in);
            default -> idle(s, in);
        };
    }

    private static Step create(KeySetStatus s, Inputs in) {
        s.currentVersion = 1;
        s.highestVersion = 1;
        s.parties = new ArrayList<>();
        for (int i = 1; i <= in.parties(); i++) s.parties.add(new PartyKeyStatus(i, 1, KeyVersionHash.of(in.keySet(), 1)));
        s.rotation = new RotationStatus();
        s.lastRotationTime = in.now().toString();
        s.lastRotationResult = "Created: version 1 for " + in.parties() + " parties";
        return new Step(List.of(new RotationAction.WriteKeys(1), new RotationAction.WriteSecrets(1, null)), s, nextCheck(s, in),
                new Event(false, "KeysCreated", "generated key-encryption keys version 1 for " + in.parties() + " parties"));
    }

    private static Step idle(KeySetStatus s, Inputs in) {
        List<RotationAction> actions = new ArrayList<>();
        List<RetiredVersion> kept = new ArrayList<>();
        for (RetiredVersion v : s.retired) {
            if (!Instant.parse(v.retiredAt).plus(in.grace()).isAfter(in.now())) actions.add(new RotationAction.DestroyVersion(v.version));
            else kept.add(v);
        }
        s.retired = kept;
        boolean requested = in.rotateRequest() != null && !in.rotateRequest().equals(s.handledRotateRequest);
        boolean due = in.every().isPresent() && s.lastRotationTime != null
                && !Instant.parse(s.lastRotationTime).plus(in.every().get()).isAfter(in.now());
        if (!requested && !due) return new Step(actions, s, nextCheck(s, in), null);
        // the request stays unhandled, so the rotation starts once the refresh has ended
        if (in.refreshRunning()) return new Step(actions, s, POLL, null);
        if (requested) s.handledRotateRequest = in.rotateRequest();
        int to = Math.max(s.highestVersion == null ? s.currentVersion : s.highestVersion, s.currentVersion) + 1;
        s.highestVersion = to;
        RotationStatus r = new RotationStatus();
        r.phase = WRITING_KEYS;
        r.kind = ROTATE;
        r.fromVersion = s.currentVersion;
        r.toVersion = to;
        r.startedAt = in.now().toString();
        r.message = (requested ? "requested" : "scheduled") + " rotation from version " + s.currentVersion + " to " + to;
        s.rotation = r;
        return new Step(actions, s, Duration.ZERO, new Event(false, "RotationStarted", r.message));
    }

    private static Step rolling(KeySetStatus s, Inputs in) {
        RotationStatus r = s.rotation;
        if (rollbackRequested(s, in)) return rollback(s, in);
        int i = r.party;
        PartyObservation o = in.observe().apply(i);
        if (o.rolled() && Objects.equals(o.reportedVersion(), r.toVersion)) {
            party(s, in, i).version = r.toVersion;
            if (i < in.parties()) {
                release(s, in, i + 1);
                return new Step(List.of(), s, Duration.ZERO, null);
            }
            r.phase = FINALIZING;
            r.party = null;
            r.partyStartedAt = null;
            return new Step(List.of(), s, Duration.ZERO, null);
        }
        if (!Instant.parse(r.partyStartedAt).plus(in.partyTimeout()).isAfter(in.now())) {
            r.phase = FAILED;
            r.message = "party " + i + " did not re-wrap its shares under version " + r.toVersion + " within " + in.partyTimeout() + ": " + o.detail()
                    + "; versions " + r.fromVersion + " and " + r.toVersion + " both stay in the Secrets; annotate "
                    + "mpc.mpcsystem.io/rollback to go back, or mpc.mpcsystem.io/rotate to retry";
            s.lastRotationResult = "Failed: " + r.message;
            return new Step(List.of(), s, nextCheck(s, in), new Event(true, ROLLBACK.equals(r.kind) ? "RollbackFailed" : "RotationFailed", r.message));
        }
        r.message = "waiting for party " + i + " of " + in.parties() + ": " + o.detail();
        return new Step(List.of(), s, POLL, null);
    }

    private static Step finalizing(KeySetStatus s, Inputs in) {
        RotationStatus r = s.rotation;
        List<RotationAction> actions = List.of(new RotationAction.WriteSecrets(r.toVersion, null), new RotationAction.RetireVersion(r.fromVersion));
        s.retired.removeIf(v -> Objects.equals(v.version, r.fromVersion) || Objects.equals(v.version, r.toVersion));
        s.retired.add(new RetiredVersion(r.fromVersion, in.now().toString()));
        s.currentVersion = r.toVersion;
        s.lastRotationTime = in.now().toString();
        boolean back = ROLLBACK.equals(r.kind);
        s.lastRotationResult = (back ? "RolledBack" : "Succeeded") + ": version " + r.fromVersion + " to " + r.toVersion;
        r.phase = IDLE;
        r.message = s.lastRotationResult;
        return new Step(actions, s, nextCheck(s, in), new Event(false, back ? "RolledBack" : "Rotated",
                "every party's shares are under key version " + r.toVersion + "; version " + r.fromVersion + " retired"));
    }

    private static Step failed(KeySetStatus s, Inputs in) {
        RotationStatus r = s.rotation;
        if (rollbackRequested(s, in)) return rollback(s, in);
        if (in.rotateRequest() != null && !in.rotateRequest().equals(s.handledRotateRequest)) {
            s.handledRotateRequest = in.rotateRequest();
            r.phase = ROLLING;
            r.partyStartedAt = in.now().toString();
            r.message = "retrying from party " + r.party;
            return new Step(List.of(), s, Duration.ZERO, new Event(false, "RotationRetried", r.message));
        }
        return new Step(List.of(), s, null, null);
    }

    private static boolean rollbackRequested(KeySetStatus s, Inputs in) {
        return in.rollbackRequest() != null && !in.rollbackRequest().equals(s.handledRollbackRequest);
    }

    /** Back to the old version: the same rollout, with the versions swapped, from party 1. */
    private static Step rollback(KeySetStatus s, Inputs in) {
        s.handledRollbackRequest = in.rollbackRequest();
        RotationStatus r = s.rotation;
        int from = r.toVersion;
        r.toVersion = r.fromVersion;
        r.fromVersion = from;
        r.kind = ROLLBACK;
        r.phase = UPDATING_SECRETS;
        r.party = null;
        r.partyStartedAt = null;
        r.startedAt = in.now().toString();
        r.message = "rolling back from version " + from + " to " + r.toVersion;
        return new Step(List.of(), s, Duration.ZERO, new Event(true, "RollbackStarted", r.message));
    }

    private static void release(KeySetStatus s, Inputs in, int i) {
        RotationStatus r = s.rotation;
        r.party = i;
        r.partyStartedAt = in.now().toString();
        party(s, in, i).podKeyHash = KeyVersionHash.of(in.keySet(), r.toVersion);
        r.message = "rolling party " + i + " of " + in.parties() + " to key version " + r.toVersion;
    }

    private static PartyKeyStatus party(KeySetStatus s, Inputs in, int i) {
        for (PartyKeyStatus p : s.parties) if (p.index == i) return p;
        PartyKeyStatus p = new PartyKeyStatus(i, s.currentVersion, KeyVersionHash.of(in.keySet(), s.currentVersion));
        s.parties.add(p);
        return p;
    }

    private static KeySetStatus phase(KeySetStatus s, String phase) {
        s.rotation.phase = phase;
        return s;
    }

    /** The next moment something is due on its own: a scheduled rotation or a destruction. */
    private static Duration nextCheck(KeySetStatus s, Inputs in) {
        Instant next = null;
        if (in.every().isPresent() && s.lastRotationTime != null) next = Instant.parse(s.lastRotationTime).plus(in.every().get());
        for (RetiredVersion v : s.retired) {
            Instant d = Instant.parse(v.retiredAt).plus(in.grace());
            if (next == null || d.isBefore(next)) next = d;
        }
        if (next == null) return null;
        Duration wait = Duration.between(in.now(), next);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private static KeySetStatus copy(KeySetStatus s) {
        return s == null ? new KeySetStatus() : Serialization.clone(s);
    }
}
