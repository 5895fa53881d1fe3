package io.mpcsystem.proto;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Ed25519 (RFC 8032, pure) as every service uses it: parties sign envelopes, registrations,
 * watches and joins; the account service signs request authorizations. One place decides what a
 * malformed key or signature means (not valid, never an exception), so no verifier can be made to
 * throw by what a peer sends.
 */
public final class Ed25519Signatures {
    public static final int PUBLIC_KEY_BYTES = 32;
    public static final int SIGNATURE_BYTES = 64;

    private Ed25519Signatures() {
    }

    public static byte[] sign(Ed25519PrivateKeyParameters key, byte[] bytes) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, key);
        s.update(bytes, 0, bytes.length);
        return s.generateSignature();
    }

    /** True only for a well-formed signature by this well-formed public key over exactly these bytes. */
    public static boolean verify(byte[] publicKey, byte[] bytes, byte[] signature) {
        Ed25519PublicKeyParameters key = publicKey(publicKey);
        return key != null && verify(key, bytes, signature);
    }

    /**
     * The decoded public key, or null when the bytes are no Ed25519 public key. Decoding costs a
     * point decompression: a verifier that sees one key many times keeps what this returns.
     */
    public static Ed25519PublicKeyParameters publicKey(byte[] encoded) {
        if (encoded == null || encoded.length != PUBLIC_KEY_BYTES) return null;
        try {
            return new Ed25519PublicKeyParameters(encoded, 0);
        } catch (IllegalArgumentException notAPoint) {
            return null;
        }
    }

    public static boolean verify(Ed25519PublicKeyParameters publicKey, byte[] bytes, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_BYTES || bytes == null) return false;
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, publicKey);
        v.update(bytes, 0, bytes.length);
        return v.verifySignature(signature);
    }
}
