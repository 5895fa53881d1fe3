package io.mpcsystem.account;

import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;

/** The API key a request authenticated with: what the audit trail attributes requests to, and what it may do. */
@RequestScoped
public class Caller {
    private ApiKeyPrincipal principal;

    void authenticatedAs(ApiKeyPrincipal principal) {
        this.principal = principal;
    }

    public ApiKeyPrincipal principal() {
        if (principal == null) throw new IllegalStateException("request was not authenticated");
        return principal;
    }

    public UUID apiKeyId() {
        return principal().id();
    }
}
