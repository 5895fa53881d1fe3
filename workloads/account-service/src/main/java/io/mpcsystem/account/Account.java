package io.mpcsystem.account;

import java.time.Instant;
import java.util.UUID;

/** An account: a threshold key that exists on the parties, the tenant it belongs to, and how to address it. */
public record Account(UUID id, String tenant, Curve curve, String keyId, byte[] publicKey, String address, String label, Instant createdAt) {
    public Account {
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }
}
