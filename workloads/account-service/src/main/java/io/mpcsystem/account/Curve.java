package io.mpcsystem.account;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** The curves an account can be on, each with the threshold protocol that makes and uses its keys. */
public enum Curve {
    SECP256K1("secp256k1", "dkls23") {
        @Override
        byte[] canonicalPublicKey(byte[] encoded) {
            // decodePoint checks that the point is on the curve; compressed SEC1 is what the tss library verifies with
            return SECP256K1_PARAMS.getCurve().decodePoint(encoded).getEncoded(true);
        }
    },
    ED25519("ed25519", "frost-ed25519") {
        @Override
        byte[] canonicalPublicKey(byte[] encoded) {
            if (encoded.length != Ed25519.PUBLIC_KEY_SIZE || !Ed25519.validatePublicKeyFull(encoded, 0)) {
                throw new IllegalArgumentException("not a valid Ed25519 public key");
            }
            return encoded.clone();
        }
    };

    static final X9ECParameters SECP256K1_PARAMS = CustomNamedCurves.getByName("secp256k1");

    private final String id;
    private final String protocol;

    Curve(String id, String protocol) {
        this.id = id;
        this.protocol = protocol;
    }

    public String id() {
        return id;
    }

    /** The coordinator's and the tss library's protocol id. */
    public String protocol() {
        return protocol;
    }

    /** The public key in the form stored and returned; @throws IllegalArgumentException if it is not a valid key */
    abstract byte[] canonicalPublicKey(byte[] encoded);

    public static Curve byId(String id) {
        for (Curve c : values()) if (c.id.equals(id)) return c;
        throw new IllegalArgumentException("unknown curve '" + id + "'");
    }

    /** For a request: a client's unknown curve is a 400 naming the supported ones. */
    public static Curve requested(String id) {
        if (id == null) return SECP256K1;
        for (Curve c : values()) if (c.id.equals(id)) return c;
        throw ApiProblem.badRequest("unknown curve '" + truncate(id) + "'; supported: "
                + Arrays.stream(values()).map(Curve::id).collect(Collectors.joining(", ")));
    }

    private static String truncate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
