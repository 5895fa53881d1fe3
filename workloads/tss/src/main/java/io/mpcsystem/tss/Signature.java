package io.mpcsystem.tss;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * A finished signature in its standard encoding: ECDSA r||s (64 bytes, low-s) with its recovery
 * id, Ed25519 R||S (64 bytes), FROST(secp256k1) R||z (65 bytes, RFC 9591).
 */
public record Signature(byte[] bytes, OptionalInt recoveryId) {
    public Signature {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signature s && Arrays.equals(s.bytes, bytes) && s.recoveryId.equals(recoveryId);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + recoveryId.hashCode();
    }

    @Override
    public String toString() {
        return "Signature[" + HexFormat.of().formatHex(bytes) + (recoveryId.isPresent() ? ", v=" + recoveryId.getAsInt() : "") + "]";
    }
}
