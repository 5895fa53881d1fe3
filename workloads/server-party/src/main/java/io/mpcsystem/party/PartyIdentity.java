package io.mpcsystem.party;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * A party's long-term identity: an Ed25519 key that signs every envelope and report it sends,
 * and an X25519 key to which peers encrypt point-to-point payloads. Only the public halves leave
 * the party (through the coordinator's roster); the private halves are stored encrypted like
 * key shares.
 */
public final class PartyIdentity {
    static final byte[] ED25519_X509_PREFIX = java.util.HexFormat.of().parseHex("302a300506032b6570032100");
    static final byte[] X25519_X509_PREFIX = java.util.HexFormat.of().parseHex("302a300506032b656e032100");

    private final String partyId;
    private final KeyPair signing;
    private final KeyPair encryption;
    // BouncyCastle's Ed25519/X25519 are an order of magnitude faster than the JDK 17 ones, and a
    // party signs and verifies every envelope it sends and receives
    private final org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters fastSigning;
    private final org.bouncycastle.crypto.params.X25519PrivateKeyParameters fastEncryption;

    private PartyIdentity(String partyId, KeyPair signing, KeyPair encryption) {
        this.partyId = partyId;
        this.signing = signing;
        this.encryption = encryption;
        byte[] s = seedOf(signing.getPrivate());
        byte[] e = seedOf(encryption.getPrivate());
        this.fastSigning = new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(s, 0);
        this.fastEncryption = new org.bouncycastle.crypto.params.X25519PrivateKeyParameters(e, 0);
        Arrays.fill(s, (byte) 0);
        Arrays.fill(e, (byte) 0);
    }

    org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters signingParameters() {
        return fastSigning;
    }

    org.bouncycastle.crypto.params.X25519PrivateKeyParameters encryptionParameters() {
        return fastEncryption;
    }

    public static PartyIdentity generate(String partyId, SecureRandom random) {
        try {
            KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
            ed.initialize(255, random);
            KeyPairGenerator x = KeyPairGenerator.getInstance("X25519");
            x.initialize(255, random);
            return new PartyIdentity(partyId, ed.generateKeyPair(), x.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519/X25519", e);
        }
    }

    public String partyId() {
        return partyId;
    }

    /** 32-byte Ed25519 public key. */
    public byte[] signingKey() {
        return rawPublic(signing.getPublic());
    }

    /** 32-byte X25519 public key. */
    public byte[] encryptionKey() {
        return rawPublic(encryption.getPublic());
    }

    static byte[] rawPublic(PublicKey k) {
        byte[] enc = k.getEncoded();
        return Arrays.copyOfRange(enc, enc.length - 32, enc.length);
    }

    static PublicKey ed25519Public(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(concat(ED25519_X509_PREFIX, raw)));
    }

    static PublicKey x25519Public(byte[] raw) throws GeneralSecurityException {
        return KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(concat(X25519_X509_PREFIX, raw)));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        if (b.length != 32) throw new IllegalArgumentException("public key must be 32 bytes");
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Private keys (PKCS#8) for the encrypted store; the caller wipes the array after sealing it. */
    public byte[] encodePrivate() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] s = signing.getPrivate().getEncoded();
        byte[] e = encryption.getPrivate().getEncoded();
        out.writeBytes(ByteBuffer.allocate(4).putInt(s.length).array());
        out.writeBytes(s);
        out.writeBytes(ByteBuffer.allocate(4).putInt(e.length).array());
        out.writeBytes(e);
        return out.toByteArray();
    }

    public static PartyIdentity decodePrivate(String partyId, byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte[] s = new byte[in.getInt()];
            in.get(s);
            byte[] e = new byte[in.getInt()];
            in.get(e);
            if (in.hasRemaining()) throw new IllegalArgumentException("trailing bytes");
            PrivateKey sp = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(s));
            PrivateKey ep = KeyFactory.getInstance("X25519").generatePrivate(new PKCS8EncodedKeySpec(e));
            Arrays.fill(s, (byte) 0);
            Arrays.fill(e, (byte) 0);
            return new PartyIdentity(partyId, new KeyPair(derivePublic("Ed25519", sp), sp), new KeyPair(derivePublic("X25519", ep), ep));
        } catch (GeneralSecurityException | RuntimeException ex) {
            throw new IllegalArgumentException("stored party identity is unreadable");
        }
    }

    private static PublicKey derivePublic(String alg, PrivateKey priv) throws GeneralSecurityException {
        // the JDK derives no public key from an EdDSA/XDH private key; BouncyCastle's lightweight API does
        byte[] seed = seedOf(priv);
        try {
            byte[] raw = "Ed25519".equals(alg)
                    ? new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded()
                    : new org.bouncycastle.crypto.params.X25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
            return "Ed25519".equals(alg) ? ed25519Public(raw) : x25519Public(raw);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private static byte[] seedOf(PrivateKey k) {
        byte[] enc = k.getEncoded();
        return Arrays.copyOfRange(enc, enc.length - 32, enc.length);
    }

    @Override
    public String toString() {
        return "PartyIdentity[" + partyId + ", private keys redacted]";
    }
}
