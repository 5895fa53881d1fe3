package io.mpcsystem.account;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Finds which stored key, if any, a presented API key is. */
@ApplicationScoped
public class ApiKeyAuthenticator {
    private final ApiKeyRepository keys;

    ApiKeyAuthenticator(ApiKeyRepository keys) {
        this.keys = keys;
    }

    /** The matching active key. Every stored hash is compared, so timing does not tell which one matched. */
    public Optional<ApiKeyPrincipal> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty()) return Optional.empty();
        ApiKeyHash presented = ApiKeyHash.of(presentedKey);
        StoredApiKey found = null;
        for (StoredApiKey key : keys.active()) {
            if (key.hash().matches(presented)) found = key;
        }
        return Optional.ofNullable(found).map(StoredApiKey::principal);
    }
}
