package io.mpcsystem.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.mpcsystem.proto.coordinator.v1.RequestAuthorization;
import io.mpcsystem.proto.coordinator.v1.SignedAuthorization;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * The account service's authorization of a KEYGEN or SIGN request, signed with its request-signing
 * key and checked by every party against the public key it pins. Keys travel as the standard
 * encodings in base64: PKCS#8 for the private key ({@code MPC_REQUEST_SIGNING_KEY}), X.509
 * SubjectPublicKeyInfo for the public one ({@code MPC_REQUEST_VERIFY_KEY}).
 */
public final class RequestAuthorizations {
    // Ed25519's fixed DER prefixes (RFC 8410): the 32 key bytes follow them
    private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");
    private static final byte[] X509_PREFIX = hex("302a300506032b6570032100");

    /** How far ahead of a verifier's clock an issue time may be. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private RequestAuthorizations() {
    }

    /** Sets the issue time to {@code now} and the expiry to {@code now + ttl}. */
    public static RequestAuthorization.Builder validFor(RequestAuthorization.Builder authorization, Instant now, Duration ttl) {
        Instant expires = now.plus(ttl);
        return authorization.setIssuedAt(timestamp(now)).setExpiresAt(timestamp(expires));
    }

    public static Instant issuedAt(RequestAuthorization a) {
        return Instant.ofEpochSecond(a.getIssuedAt().getSeconds(), a.getIssuedAt().getNanos());
    }

    public static Instant expiresAt(RequestAuthorization a) {
        return Instant.ofEpochSecond(a.getExpiresAt().getSeconds(), a.getExpiresAt().getNanos());
    }

    private static com.google.protobuf.Timestamp timestamp(Instant t) {
        return com.google.protobuf.Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }

    /** Signs {@code authorization} with a private key in PKCS#8. */
    public static SignedAuthorization sign(RequestAuthorization authorization, Signer signer) {
        byte[] body = authorization.toByteArray();
        return SignedAuthorization.newBuilder()
                .setAuthorization(ByteString.copyFrom(body))
                .setSignature(ByteString.copyFrom(signer.sign(SignedBytes.authorization(body))))
                .build();
    }

    /**
     * Returns the authorization if it carries a valid signature by {@code verifier}'s key, has not
     * expired at {@code now} and was not issued later than {@code now} (within {@link #CLOCK_SKEW});
     * throws {@link RefusedAuthorization} saying why otherwise.
     */
    public static RequestAuthorization verify(SignedAuthorization signed, Verifier verifier, Instant now) {
        if (signed == null || signed.getAuthorization().isEmpty()) throw new RefusedAuthorization("the request carries no authorization");
        byte[] body = signed.getAuthorization().toByteArray();
        if (!verifier.valid(SignedBytes.authorization(body), signed.getSignature().toByteArray())) {
            throw new RefusedAuthorization("the request's authorization is not signed by the pinned request-signing key");
        }
        RequestAuthorization a;
        try {
            a = RequestAuthorization.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
            throw new RefusedAuthorization("the request's authorization does not decode");
        }
        if (!a.hasExpiresAt() || !now.isBefore(expiresAt(a))) throw new RefusedAuthorization("the request's authorization has expired");
        if (!a.hasIssuedAt()) throw new RefusedAuthorization("the request's authorization has no issue time");
        if (issuedAt(a).isAfter(now.plus(CLOCK_SKEW))) throw new RefusedAuthorization("the request's authorization is issued in the future");
        if (a.getRequestId().isBlank()) throw new RefusedAuthorization("the request's authorization names no request id");
        return a;
    }

    /** A fresh key pair: {private PKCS#8 base64, public X.509 base64}. */
    public static String[] newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(255, SecureRandom.getInstance("DRBG"));
            KeyPair p = g.generateKeyPair();
            Base64.Encoder b = Base64.getEncoder();
            return new String[] {b.encodeToString(p.getPrivate().getEncoded()), b.encodeToString(p.getPublic().getEncoded())};
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks Ed25519 or DRBG", e);
        }
    }

    /** The signing side; holds the private key and never shows it. */
    public static final class Signer {
        private final Ed25519PrivateKeyParameters key;

        private Signer(Ed25519PrivateKeyParameters key) {
            this.key = key;
        }

        /** From base64 PKCS#8 (what {@link #newKeyPair()} and the operator's Secret hold). */
        public static Signer fromBase64(String pkcs8) {
            byte[] der = decode(pkcs8, "request-signing key");
            try {
                if (der.length != PKCS8_PREFIX.length + 32 || !Arrays.equals(der, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0, PKCS8_PREFIX.length)) {
                    throw new IllegalArgumentException("the request-signing key is not an Ed25519 private key in PKCS#8");
                }
                return new Signer(new Ed25519PrivateKeyParameters(der, PKCS8_PREFIX.length));
            } finally {
                Arrays.fill(der, (byte) 0);
            }
        }

        public byte[] sign(byte[] bytes) {
            return Ed25519Signatures.sign(key, bytes);
        }

        @Override
        public String toString() {
            return "RequestAuthorizations.Signer[redacted]";
        }
    }

    /** The checking side, for the pinned public key. */
    public static final class Verifier {
        private final Ed25519PublicKeyParameters key;

        private Verifier(Ed25519PublicKeyParameters key) {
            this.key = key;
        }

        /** From base64 X.509 SubjectPublicKeyInfo. */
        public static Verifier fromBase64(String x509) {
            byte[] der = decode(x509, "request-verify key");
            if (der.length != X509_PREFIX.length + 32 || !Arrays.equals(der, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
                throw new IllegalArgumentException("the request-verify key is not an Ed25519 public key in X.509 form");
            }
            return new Verifier(new Ed25519PublicKeyParameters(der, X509_PREFIX.length));
        }

        public boolean valid(byte[] bytes, byte[] signature) {
            return Ed25519Signatures.verify(key, bytes, signature);
        }
    }

    /** Why a party refuses a session's authorization; the text names no secret. */
    public static final class RefusedAuthorization extends RuntimeException {
        public RefusedAuthorization(String message) {
            super(message);
        }
    }

    private static byte[] decode(String base64, String what) {
        if (base64 == null || base64.isBlank()) throw new IllegalArgumentException("no " + what + " is configured");
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " is not base64");
        }
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        return out;
    }
}
