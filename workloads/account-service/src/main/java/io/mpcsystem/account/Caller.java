package io.mpcsystem.account;

import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;

/** The API key a request authenticated with, by id: what the audit trail attributes requests to. */
@RequestScoped
public class Caller {
    private UUID apiKeyId;

    void authenticatedAs(UUID apiKeyId) {
        this.apiKeyId = apiKeyId;
    }

    public UUID apiKeyId() {
        if (apiKeyId == null) throw new IllegalStateException("request was not authenticated");
        return apiKeyId;
    }
}
