package io.mpcsystem.account;

import java.util.List;

/** Body of POST /api/v1/api-keys: a label, the tenant (default: the caller's) and the scopes (read, sign, admin). */
public record CreateApiKeyRequest(String label, String tenant, List<String> scopes) {
}
