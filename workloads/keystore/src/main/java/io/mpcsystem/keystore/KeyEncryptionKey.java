package io.mpcsystem.keystore;

import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One version of a party's key-encryption key (KEK): 256 bits that wrap the data keys of that
 * party's shares. Each party has its own KEK; versions increase with every rotation.
 */
public final class KeyEncryptionKey {
    private final int version;
    private final byte[] key;

    public KeyEncryptionKey(int version, byte[] key) {
        if (version < 1) throw new IllegalArgumentException("key-encryption key version must be >= 1");
        if (key.length != 32) throw new IllegalArgumentException("key-encryption key must be 32 bytes (256 bits), got " + key.length);
        this.version = version;
        this.key = key.clone();
    }

    /**
     * Parses the seed guide's format: 64 hex characters (e.g. {@code openssl rand -hex 32}).
     * The error never echoes the input.
     */
    public static KeyEncryptionKey fromHex(int version, String hex) {
        String h = hex == null ? "" : hex.trim();
        if (h.length() != 64) throw new IllegalArgumentException("key-encryption key must be 64 hex characters (32 bytes), got " + h.length() + " characters");
        try {
            return new KeyEncryptionKey(version, HexFormat.of().parseHex(h));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key-encryption key is not valid hex");
        }
    }

    public int version() {
        return version;
    }

    SecretKey secretKey() {
        return new SecretKeySpec(key, "AES");
    }

    public void wipe() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "KeyEncryptionKey[version " + version + ", redacted]";
    }
}
