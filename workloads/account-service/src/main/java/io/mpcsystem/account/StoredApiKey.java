package io.mpcsystem.account;

import java.util.Set;
import java.util.UUID;

/** An active API key as stored: its id (what the audit records), the hash of the key, its tenant and scopes. */
public record StoredApiKey(UUID id, ApiKeyHash hash, String tenant, Set<Scope> scopes) {
    public StoredApiKey {
        scopes = Set.copyOf(scopes);
    }

    public ApiKeyPrincipal principal() {
        return new ApiKeyPrincipal(id, tenant, scopes);
    }
}
