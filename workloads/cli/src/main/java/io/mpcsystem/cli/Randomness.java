package io.mpcsystem.cli;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** The randomness source of the command: the JDK's DRBG (NIST SP 800-90A), seeded by the OS. */
final class Randomness {
    private Randomness() {
    }

    static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no DRBG SecureRandom");
        }
    }
}
