package io.mpcsystem.account;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.mpcsystem.tss.Signature;
import java.util.HexFormat;

/** A signature as the API shows it, with the session that made it: r, s and Ethereum's v (27 + recovery id) for ECDSA, the bare signature for Ed25519. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignatureView(String sessionId, String signature, String r, String s, Integer v) {
    private static final int ETHEREUM_V_OFFSET = 27;

    public static SignatureView of(Curve curve, Signature sig, String sessionId) {
        HexFormat hex = HexFormat.of();
        byte[] b = sig.bytes();
        if (curve == Curve.ED25519) return new SignatureView(sessionId, hex.formatHex(b), null, null, null);
        return new SignatureView(sessionId, hex.formatHex(b), hex.formatHex(b, 0, 32), hex.formatHex(b, 32, 64),
                ETHEREUM_V_OFFSET + sig.recoveryId().orElseThrow());
    }
}
