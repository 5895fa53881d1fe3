package io.mpcsystem.coordinator;

import com.google.protobuf.Timestamp;
import io.mpcsystem.proto.Ed25519Signatures;
import io.mpcsystem.proto.SignedBytes;
import io.mpcsystem.proto.coordinator.v1.JoinSessionRequest;
import io.mpcsystem.proto.coordinator.v1.RegisterPartyRequest;
import io.mpcsystem.proto.coordinator.v1.ReportOutcomeRequest;
import io.mpcsystem.proto.coordinator.v1.WatchSessionsRequest;
import java.time.Duration;
import java.time.Instant;

/**
 * Checks that what a party sent was signed (Ed25519, RFC 8032) with its identity key: reports and
 * joins with the key the session's roster pins, watches with the registered key, a registration
 * with the key it registers (proof that the party holds it).
 */
final class PartySignature {
    /** How far a signed registration or watch may be from the coordinator's clock. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private PartySignature() {
    }

    static boolean valid(ReportOutcomeRequest report, byte[] signingKey) {
        return Ed25519Signatures.verify(signingKey, SignedBytes.report(report), report.getSignature().toByteArray());
    }

    static boolean valid(JoinSessionRequest join, byte[] signingKey) {
        return Ed25519Signatures.verify(signingKey, SignedBytes.join(join), join.getSignature().toByteArray());
    }

    static boolean valid(WatchSessionsRequest watch, byte[] signingKey, Instant now) {
        return fresh(watch.getIssuedAt(), now) && Ed25519Signatures.verify(signingKey, SignedBytes.watch(watch), watch.getSignature().toByteArray());
    }

    static boolean valid(RegisterPartyRequest registration, Instant now) {
        return fresh(registration.getIssuedAt(), now) && Ed25519Signatures.verify(registration.getIdentity().getSigningKey().toByteArray(),
                SignedBytes.registration(registration), registration.getSignature().toByteArray());
    }

    private static boolean fresh(Timestamp t, Instant now) {
        Instant at = Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
        return t.getSeconds() != 0 && Duration.between(at, now).abs().compareTo(CLOCK_SKEW) <= 0;
    }
}
