package io.mpcsystem.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The SHA-256 of an API key: the only form in which a key is stored or compared. */
public record ApiKeyHash(byte[] bytes) {
    public ApiKeyHash {
        if (bytes.length != 32) throw new IllegalArgumentException("an API key hash is 32 bytes");
        bytes = bytes.clone();
    }

    public static ApiKeyHash of(String key) {
        try {
            return new ApiKeyHash(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Constant-time, so response timing does not reveal how much of a guessed hash matched. */
    public boolean matches(ApiKeyHash other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKeyHash h && matches(h);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ApiKeyHash[…]";
    }
}
