package io.mpcsystem.coordinator;

import io.mpcsystem.proto.SignedBytes;
import io.mpcsystem.proto.coordinator.v1.ReportOutcomeRequest;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/** Checks that a report was signed by the reporting party's registered Ed25519 key. */
final class ReportSignature {
    private static final byte[] ED25519_X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private ReportSignature() {
    }

    static boolean valid(ReportOutcomeRequest report, byte[] signingKey) {
        byte[] sig = report.getSignature().toByteArray();
        if (sig.length != 64 || signingKey.length != 32) return false;
        try {
            byte[] spki = new byte[ED25519_X509_PREFIX.length + 32];
            System.arraycopy(ED25519_X509_PREFIX, 0, spki, 0, ED25519_X509_PREFIX.length);
            System.arraycopy(signingKey, 0, spki, ED25519_X509_PREFIX.length, 32);
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
            v.update(SignedBytes.report(report));
            return v.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
