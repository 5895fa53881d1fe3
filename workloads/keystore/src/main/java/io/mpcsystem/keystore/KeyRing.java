package io.mpcsystem.keystore;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The key-encryption keys one party can use: the current version, which wraps everything new,
 * and during a rotation the previous one, still able to unwrap what it wrapped.
 */
public final class KeyRing {
    private final KeyEncryptionKey current;
    private final Map<Integer, KeyEncryptionKey> byVersion;

    public KeyRing(KeyEncryptionKey current, KeyEncryptionKey previous) {
        this.current = current;
        Map<Integer, KeyEncryptionKey> m = new TreeMap<>();
        m.put(current.version(), current);
        if (previous != null) {
            if (previous.version() == current.version()) throw new IllegalArgumentException("previous key-encryption key has the same version as the current one (" + current.version() + ")");
            m.put(previous.version(), previous);
        }
        this.byVersion = Collections.unmodifiableMap(m);
    }

    public static KeyRing of(KeyEncryptionKey current) {
        return new KeyRing(current, null);
    }

    public KeyEncryptionKey current() {
        return current;
    }

    public Optional<KeyEncryptionKey> version(int version) {
        return Optional.ofNullable(byVersion.get(version));
    }

    @Override
    public String toString() {
        return "KeyRing[versions " + byVersion.keySet() + ", current " + current.version() + "]";
    }
}
