package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.group.Ed25519;
import io.mpcsystem.tss.group.Group;
import io.mpcsystem.tss.group.Secp256k1;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The two RFC 9591 ciphersuites this library offers: their group and the hash functions H1..H5. */
public enum FrostCiphersuite {
    /** FROST(Ed25519, SHA-512), section 6.1: signatures verify under plain RFC 8032 Ed25519. */
    ED25519(1, "frost-ed25519", "FROST-ED25519-SHA512-v1", Ed25519.INSTANCE) {
        @Override
        BigInteger h1(byte[] m) {
            return wideReduce(sha512(context("rho"), m));
        }

        // no context prefix: the challenge must equal RFC 8032's SHA-512(R || A || M)
        @Override
        BigInteger h2(byte[] m) {
            return wideReduce(sha512(new byte[0], m));
        }

        @Override
        BigInteger h3(byte[] m) {
            return wideReduce(sha512(context("nonce"), m));
        }

        @Override
        byte[] h4(byte[] m) {
            return sha512(context("msg"), m);
        }

        @Override
        byte[] h5(byte[] m) {
            return sha512(context("com"), m);
        }

        private BigInteger wideReduce(byte[] digest) {
            byte[] be = new byte[digest.length];
            for (int i = 0; i < digest.length; i++) be[i] = digest[digest.length - 1 - i];
            return new BigInteger(1, be).mod(group().order());
        }
    },

    /** FROST(secp256k1, SHA-256), section 6.5. */
    SECP256K1(2, "frost-secp256k1", "FROST-secp256k1-SHA256-v1", Secp256k1.INSTANCE) {
        @Override
        BigInteger h1(byte[] m) {
            return Rfc9380HashToField.hashToScalar(m, context("rho"), group().order());
        }

        @Override
        BigInteger h2(byte[] m) {
            return Rfc9380HashToField.hashToScalar(m, context("chal"), group().order());
        }

        @Override
        BigInteger h3(byte[] m) {
            return Rfc9380HashToField.hashToScalar(m, context("nonce"), group().order());
        }

        @Override
        byte[] h4(byte[] m) {
            return sha256(context("msg"), m);
        }

        @Override
        byte[] h5(byte[] m) {
            return sha256(context("com"), m);
        }
    };

    private final int code;
    private final String schemeId;
    private final String contextString;
    private final Group group;

    FrostCiphersuite(int code, String schemeId, String contextString, Group group) {
        this.code = code;
        this.schemeId = schemeId;
        this.contextString = contextString;
        this.group = group;
    }

    /** The byte that names this suite inside canonical encodings. */
    int code() {
        return code;
    }

    static FrostCiphersuite byCode(int code) {
        for (FrostCiphersuite s : values()) if (s.code == code) return s;
        throw new io.mpcsystem.tss.encoding.MalformedEncodingException("unknown FROST ciphersuite " + code);
    }

    public String schemeId() {
        return schemeId;
    }

    public String contextString() {
        return contextString;
    }

    public Group group() {
        return group;
    }

    /** Binding factor hash. */
    abstract BigInteger h1(byte[] m);

    /** Challenge hash. */
    abstract BigInteger h2(byte[] m);

    /** Nonce derivation hash. */
    abstract BigInteger h3(byte[] m);

    /** Message hash inside the binding factor input. */
    abstract byte[] h4(byte[] m);

    /** Commitment list hash inside the binding factor input. */
    abstract byte[] h5(byte[] m);

    byte[] context(String tag) {
        return (contextString + tag).getBytes(StandardCharsets.US_ASCII);
    }

    /** SerializeScalar of a participant identifier. */
    byte[] identifier(int index) {
        return group.encodeScalar(BigInteger.valueOf(index));
    }

    private static byte[] sha512(byte[] prefix, byte[] m) {
        return digest("SHA-512", prefix, m);
    }

    private static byte[] sha256(byte[] prefix, byte[] m) {
        return digest("SHA-256", prefix, m);
    }

    private static byte[] digest(String alg, byte[] prefix, byte[] m) {
        try {
            MessageDigest md = MessageDigest.getInstance(alg);
            md.update(prefix);
            md.update(m);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(alg + " missing from the JDK", e);
        }
    }
}
