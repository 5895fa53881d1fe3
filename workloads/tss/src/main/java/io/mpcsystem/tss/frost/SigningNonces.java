package io.mpcsystem.tss.frost;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A signer's hiding and binding nonces (d_i, e_i). They live only inside one signing run's round
 * objects and are never encoded: reusing them with another message would leak the key share.
 */
final class SigningNonces {
    private BigInteger hiding;
    private BigInteger binding;

    private SigningNonces(BigInteger hiding, BigInteger binding) {
        this.hiding = hiding;
        this.binding = binding;
    }

    /** RFC 9591 commit(): hiding nonce first, then binding, each from 32 fresh random bytes. */
    static SigningNonces generate(FrostCiphersuite suite, BigInteger secret, SecureRandom random) {
        BigInteger h = nonceGenerate(suite, secret, random);
        BigInteger b = nonceGenerate(suite, secret, random);
        return new SigningNonces(h, b);
    }

    /**
     * RFC 9591 nonce_generate: mixing the secret share in keeps nonces unpredictable even if the
     * random source is weak.
     */
    static BigInteger nonceGenerate(FrostCiphersuite suite, BigInteger secret, SecureRandom random) {
        byte[] randomBytes = new byte[32];
        random.nextBytes(randomBytes);
        byte[] secretBytes = suite.group().encodeScalar(secret);
        byte[] input = new byte[randomBytes.length + secretBytes.length];
        System.arraycopy(randomBytes, 0, input, 0, randomBytes.length);
        System.arraycopy(secretBytes, 0, input, randomBytes.length, secretBytes.length);
        try {
            return suite.h3(input);
        } finally {
            Arrays.fill(randomBytes, (byte) 0);
            Arrays.fill(secretBytes, (byte) 0);
            Arrays.fill(input, (byte) 0);
        }
    }

    static SigningNonces of(BigInteger hiding, BigInteger binding) {
        return new SigningNonces(hiding, binding);
    }

    SigningCommitment commitment(FrostCiphersuite suite, int identifier) {
        return new SigningCommitment(identifier, suite.group().multiplyBase(hiding()), suite.group().multiplyBase(binding()));
    }

    BigInteger hiding() {
        if (hiding == null) throw new IllegalStateException("nonces were wiped");
        return hiding;
    }

    BigInteger binding() {
        if (binding == null) throw new IllegalStateException("nonces were wiped");
        return binding;
    }

    void wipe() {
        hiding = null;
        binding = null;
    }

    @Override
    public String toString() {
        return "SigningNonces[redacted]";
    }
}
