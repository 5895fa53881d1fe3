package io.mpcsystem.operator.keyset;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the parties' key-encryption keys are kept, the source of truth behind the per-party
 * Secrets. Every write is idempotent, so that an operator restarted in the middle of a rotation
 * never replaces a key a party may already have used.
 */
public interface KeyBackend {
    /** Stores {@code candidate} unless a key is already stored at {@code ref}; returns what is stored. */
    PartyKey putIfAbsent(KeyRef ref, PartyKey candidate);

    Optional<PartyKey> read(KeyRef ref);

    /** Marks the key retired at {@code at} (kept, so a late rollback still works, until destroyed). */
    void retire(KeyRef ref, Instant at);

    /** When the key was retired, if it was. */
    Optional<Instant> retiredAt(KeyRef ref);

    /** Destroys the key for good (every stored version of it). Destroying a missing key is not an error. */
    void destroy(KeyRef ref);

    /**
     * The versions stored for one party of a KeySet (retired ones included, destroyed ones perhaps),
     * ascending: what an operator that lost the KeySet's status adopts instead of creating new keys.
     */
    java.util.List<Integer> versions(String namespace, String keySet, int party);

    /** One line for the KeySet's status, e.g. "vault https://vault:8200 (kv-v2 mount secret)"; never a secret. */
    String describe();

    /** A backend call failed (unreachable, refused, malformed answer); the message names the key, never its value. */
    final class BackendException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BackendException(String message, Throwable cause) {
            super(message, cause);
        }

        public BackendException(String message) {
            super(message);
        }
    }
}
