package io.mpcsystem.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An API key as the API shows it. {@code key} is present only in the answer that created it (the
 * one time anyone sees it); the hash is never shown.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKeyView(String id, String key, String label, String tenant, List<String> scopes, Instant createdAt, Instant revokedAt) {
    public static ApiKeyView of(ApiKeyRepository.ApiKeyRecord r) {
        return of(r, null);
    }

    public static ApiKeyView of(ApiKeyRepository.ApiKeyRecord r, String key) {
        return new ApiKeyView(r.id().toString(), key, r.label(), r.tenant(),
                r.scopes().stream().sorted().map(Scope::id).toList(), r.createdAt(), r.revokedAt());
    }

    @Override
    public String toString() {
        return "ApiKeyView[id=" + id + ", key=" + (key == null ? "none" : "redacted") + ", label=" + label + ", tenant=" + tenant
                + ", scopes=" + scopes + ", createdAt=" + createdAt + ", revokedAt=" + revokedAt + "]";
    }
}
