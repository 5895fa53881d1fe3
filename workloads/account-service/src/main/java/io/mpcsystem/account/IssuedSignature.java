package io.mpcsystem.account;

import io.mpcsystem.tss.Signature;

/** A verified signature, the curve of the account that made it (which decides how it is shown) and its session. */
public record IssuedSignature(Curve curve, Signature signature, String sessionId) {
}
