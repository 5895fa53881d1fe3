package io.mpcsystem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/** A signature from the account service's REST API checked by BouncyCastle, outside the system that made it. */
public final class ExternalEcdsa {
    private static final HexFormat HEX = HexFormat.of();

    private ExternalEcdsa() {
    }

    /** Asserts that {@code sig} ({@code r}, {@code s} in hex) is a secp256k1 ECDSA signature of {@code hash} under {@code publicKey}. */
    public static void assertVerifies(byte[] publicKey, byte[] hash, JsonNode sig) {
        var domain = io.mpcsystem.tss.group.Secp256k1.DOMAIN;
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(domain.getCurve().decodePoint(publicKey), domain));
        assertThat(verifier.verifySignature(hash, new BigInteger(1, HEX.parseHex(sig.get("r").asText())), new BigInteger(1, HEX.parseHex(sig.get("s").asText()))))
                .as("BouncyCastle ECDSA over the account's public key").isTrue();
    }
}
