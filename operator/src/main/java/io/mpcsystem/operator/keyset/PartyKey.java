package io.mpcsystem.operator.keyset;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One party's 256-bit key-encryption key at one version. Its bytes never appear in toString,
 * exceptions or logs; equality is constant-time.
 */
public final class PartyKey {
    public static final int LENGTH = 32;
    private final byte[] key;

    private PartyKey(byte[] key) {
        if (key.length != LENGTH) throw new IllegalArgumentException("a key-encryption key has " + LENGTH + " bytes");
        this.key = key.clone();
    }

    public static PartyKey generate(SecureRandom random) {
        byte[] k = new byte[LENGTH];
        random.nextBytes(k);
        PartyKey out = new PartyKey(k);
        Arrays.fill(k, (byte) 0);
        return out;
    }

    /** From the 64 hex characters the parties read in MPC_CRYPTO_MASTER_KEY. */
    public static PartyKey fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) throw new IllegalArgumentException("a key-encryption key is " + 2 * LENGTH + " hex characters");
        try {
            return new PartyKey(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a key-encryption key is " + 2 * LENGTH + " hex characters");
        }
    }

    /** The form MPC_CRYPTO_MASTER_KEY takes. Only for writing to a Secret or a key store. */
    public String hex() {
        return HexFormat.of().formatHex(key);
    }

    public boolean sameAs(PartyKey other) {
        return MessageDigest.isEqual(key, other.key);
    }

    public void wipe() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "PartyKey[redacted]";
    }
}
