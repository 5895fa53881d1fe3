package io.mpcsystem.account;

/** Body of POST /api/v1/accounts/{id}/signatures: {@code hash} for secp256k1 accounts, {@code message} for ed25519. */
public record SignRequest(String hash, String message) {
}
