package io.mpcsystem.tss;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Identifies one protocol run. All parties of a run use the same id; every transcript binds it,
 * so no message, proof or OT extension of one run is valid in another. The coordinator makes a
 * fresh random id for each session.
 */
public record SessionId(byte[] bytes) {
    public SessionId {
        if (bytes.length < 16 || bytes.length > 64) throw new IllegalArgumentException("session id must be 16 to 64 bytes");
        bytes = bytes.clone();
    }

    public static SessionId random(SecureRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return new SessionId(b);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionId s && Arrays.equals(s.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
