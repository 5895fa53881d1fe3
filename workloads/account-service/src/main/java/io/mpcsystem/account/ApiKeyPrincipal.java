package io.mpcsystem.account;

import java.util.Set;
import java.util.UUID;

/**
 * Who a request is, once its API key was recognised: the key's id (what the audit records), its
 * tenant (the only accounts it sees) and its scopes. Holds nothing secret.
 */
public record ApiKeyPrincipal(UUID id, String tenant, Set<Scope> scopes) {
    /** The tenant of the bootstrap key and of everything that existed before tenants. */
    public static final String DEFAULT_TENANT = "default";

    public ApiKeyPrincipal {
        scopes = Set.copyOf(scopes);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope);
    }

    /** @throws ApiProblem 403 if this key lacks {@code scope} */
    public void require(Scope scope) {
        if (!has(scope)) throw ApiProblem.forbidden("this API key lacks the '" + scope.id() + "' scope");
    }

    /** An admin of the default tenant administers every tenant's keys (it creates the other tenants' first keys). */
    public boolean administersAllTenants() {
        return has(Scope.ADMIN) && DEFAULT_TENANT.equals(tenant);
    }
}
