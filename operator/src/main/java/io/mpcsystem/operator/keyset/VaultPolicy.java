package io.mpcsystem.operator.keyset;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which Vaults the operator may talk to, decided by whoever installs the operator, not by KeySet
 * authors: any KeySet author could otherwise point {@code spec.vault.address} at a server of their
 * own and receive the operator's credentials. Addresses must be https and on the allow-list
 * ({@code MPC_VAULT_ADDRESSES}, comma-separated, e.g. {@code https://vault.vault.svc:8200}); the
 * Kubernetes login presents a projected ServiceAccount token with audience {@code vault}
 * ({@code MPC_VAULT_TOKEN_FILE}), useless against the Kubernetes API, never the operator's own token.
 *
 * @param allowed   normalized origins (scheme://host:port)
 * @param allowHttp only for loopback tests; never set from the environment
 * @param tokenFile the projected token with audience "vault"
 */
public record VaultPolicy(Set<String> allowed, boolean allowHttp, Path tokenFile) {
    public static final Path DEFAULT_TOKEN_FILE = Path.of("/var/run/secrets/mpc-operator/vault/token");

    public static VaultPolicy fromEnvironment(Map<String, String> env) {
        Set<String> allowed = new TreeSet<>();
        for (String a : env.getOrDefault("MPC_VAULT_ADDRESSES", "").split(",")) {
            if (!a.isBlank()) allowed.add(origin(a.trim(), false));
        }
        String file = env.getOrDefault("MPC_VAULT_TOKEN_FILE", "");
        return new VaultPolicy(Set.copyOf(allowed), false, file.isBlank() ? DEFAULT_TOKEN_FILE : Path.of(file.trim()));
    }

    /** Refuses (IllegalArgumentException, reported as an invalid spec) an address the operator must not send credentials to. */
    public String check(String address) {
        String origin = origin(address, allowHttp);
        if (allowed.isEmpty()) {
            throw new IllegalArgumentException("spec.vault.address " + origin + " is not allowed: this operator allows no Vault address "
                    + "(set MPC_VAULT_ADDRESSES, Helm value vault.allowedAddresses)");
        }
        if (!allowed.contains(origin)) {
            throw new IllegalArgumentException("spec.vault.address " + origin + " is not in the operator's allow-list of Vault addresses " + allowed);
        }
        return address;
    }

    /** scheme://host:port, lower case, the default port made explicit; anything beyond an origin is refused. */
    static String origin(String address, boolean allowHttp) {
        URI u;
        try {
            u = URI.create(address.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("spec.vault.address is not a URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new IllegalArgumentException("spec.vault.address must use https: the operator's Vault credentials never travel in clear");
        }
        if (u.getHost() == null || u.getUserInfo() != null || u.getQuery() != null || u.getFragment() != null
                || (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/"))) {
            throw new IllegalArgumentException("spec.vault.address must be scheme://host[:port] and nothing else");
        }
        int port = u.getPort() > 0 ? u.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
