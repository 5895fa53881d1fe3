package io.mpcsystem.coordinator;

import io.mpcsystem.proto.SignedBytes;
import io.mpcsystem.proto.coordinator.v1.ReportOutcomeRequest;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Checks that a report was signed (Ed25519, RFC 8032) by the reporting party's registered identity key. */
final class ReportSignature {
    private ReportSignature() {
    }

    static boolean valid(ReportOutcomeRequest report, byte[] signingKey) {
        byte[] sig = report.getSignature().toByteArray();
        if (sig.length != 64 || signingKey.length != 32) return false;
        try {
            Ed25519Signer v = new Ed25519Signer();
            v.init(false, new Ed25519PublicKeyParameters(signingKey, 0));
            byte[] bytes = SignedBytes.report(report);
            v.update(bytes, 0, bytes.length);
            return v.verifySignature(sig);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
