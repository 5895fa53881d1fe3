package io.mpcsystem.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.HexFormat;

/** An account as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccountView(String id, String tenant, String curve, String protocol, String keyId, String publicKey, String address,
                          String label, Instant createdAt) {
    public static AccountView of(Account a) {
        return new AccountView(a.id().toString(), a.tenant(), a.curve().id(), a.curve().protocol(), a.keyId(),
                HexFormat.of().formatHex(a.publicKey()), a.address(), a.label(), a.createdAt());
    }
}
