package io.mpcsystem.tss;

/**
 * One party's share of a threshold key. Implementations never print their secrets and can be
 * wiped; {@link #encode()} is the versioned canonical encoding that a store encrypts at rest.
 */
public interface KeyShare {
    /** The scheme id, as in {@link ThresholdScheme#id()}. */
    String scheme();

    /** This party's index (1..n). */
    int index();

    int threshold();

    int parties();

    /** The group public key in the scheme's standard encoding (compressed SEC1, or 32-byte Ed25519). */
    byte[] publicKey();

    /** The versioned canonical encoding, secrets included: encrypt before it leaves memory. */
    byte[] encode();

    /** Overwrites the secret parts; the share is unusable afterwards. */
    void wipe();
}
