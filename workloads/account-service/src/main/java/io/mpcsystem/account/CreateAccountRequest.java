package io.mpcsystem.account;

/** Body of POST /api/v1/accounts; both fields optional (secp256k1, no label). */
public record CreateAccountRequest(String curve, String label) {
}
