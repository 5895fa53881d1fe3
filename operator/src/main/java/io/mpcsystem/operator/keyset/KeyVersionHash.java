package io.mpcsystem.operator.keyset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The value put into a party's pod template (the watched-secret-hash pattern): it changes exactly
 * when the key version a party must run under changes, which is what rolls that party's pod.
 * Only the current version counts, so dropping the previous key after a rotation does not roll
 * every party a second time.
 */
public final class KeyVersionHash {
    private KeyVersionHash() {
    }

    public static String of(String keySet, int version) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((keySet + "\n" + version).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
