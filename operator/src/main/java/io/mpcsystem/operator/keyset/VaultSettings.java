package io.mpcsystem.operator.keyset;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * How to reach Vault, resolved from a KeySet's spec (Secrets already read).
 *
 * @param address   e.g. https://vault.vault.svc:8200
 * @param mount     the KV v2 mount, e.g. "secret"
 * @param pathPrefix below the mount, e.g. "mpc-system"; keys live at {@code <mount>/data/<pathPrefix>/<KeyRef.path()>}
 * @param caPem     PEM of the CA that signed Vault's certificate, if not a public one
 * @param auth      a token, or Kubernetes login
 */
public record VaultSettings(String address, String mount, String pathPrefix, Optional<String> caPem, Auth auth) {

    /** How the operator authenticates to Vault. */
    public sealed interface Auth permits Token, Kubernetes {
    }

    /** A fixed token (development: read from a Secret). */
    public record Token(String token) implements Auth {
        @Override
        public String toString() {
            return "Token[redacted]";
        }
    }

    /** Vault's Kubernetes auth method with the operator's ServiceAccount token. */
    public record Kubernetes(String role, String mountPath, Supplier<String> serviceAccountJwt) implements Auth {
    }
}
