package io.mpcsystem.tss.hash;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Hash input for Fiat-Shamir challenges and commitments. Every field is written as
 * {@code u32 len(label) || label || u32 len(value) || value}, after a domain-separation tag, so no
 * two different sequences of fields hash the same bytes (ambiguous concatenation is the root of
 * the TSSHOCK attacks). Callers bind the session id, the protocol, the party indices and all
 * public inputs.
 */
public final class Transcript {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream(512);

    private Transcript(String domain) {
        append("domain", domain.getBytes(StandardCharsets.UTF_8));
    }

    /** A transcript for one use, e.g. {@code "mpc-system/dkls23/v1/keygen/pok"}. */
    public static Transcript of(String domain) {
        return new Transcript(domain);
    }

    public Transcript append(String label, byte[] value) {
        writeField(label.getBytes(StandardCharsets.UTF_8));
        writeField(value);
        return this;
    }

    public Transcript append(String label, int value) {
        return append(label, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    public Transcript append(String label, String value) {
        return append(label, value.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of the transcript. */
    public byte[] digest() {
        return sha("SHA-256").digest(buf.toByteArray());
    }

    /** A challenge scalar in [0, order): SHA-512 of the transcript reduced, so the bias is below 2^-250. */
    public BigInteger challenge(BigInteger order) {
        byte[] wide = sha("SHA-512").digest(buf.toByteArray());
        return new BigInteger(1, wide).mod(order);
    }

    private void writeField(byte[] v) {
        int n = v.length;
        buf.write(n >>> 24);
        buf.write(n >>> 16);
        buf.write(n >>> 8);
        buf.write(n);
        buf.writeBytes(v);
    }

    static MessageDigest sha(String alg) {
        try {
            return MessageDigest.getInstance(alg);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(alg + " missing from the JDK", e);
        }
    }
}
