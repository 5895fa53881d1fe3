package io.mpcsystem.account;

import java.util.UUID;

/** An active API key as stored: its id (what the audit records) and the hash of the key. */
public record StoredApiKey(UUID id, ApiKeyHash hash) {
}
