package io.mpcsystem.operator.keyset;

/**
 * What a rotation step asks the controller to do. Every action is idempotent: an operator that
 * restarts after acting but before recording the step simply acts again.
 */
public sealed interface RotationAction {
    /** Generate (if absent) and store every party's key at this version in the backend. */
    record WriteKeys(int version) implements RotationAction {
    }

    /** Set every party's Secret to current = {@code current} and previous = {@code previous} (none when null). */
    record WriteSecrets(int current, Integer previous) implements RotationAction {
    }

    /** Mark every party's key at this version retired in the backend. */
    record RetireVersion(int version) implements RotationAction {
    }

    /** Destroy every party's key at this version (its grace period is over). */
    record DestroyVersion(int version) implements RotationAction {
    }
}
