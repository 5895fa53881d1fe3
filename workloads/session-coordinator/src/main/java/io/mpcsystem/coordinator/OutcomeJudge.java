package io.mpcsystem.coordinator;

import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.Signature;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Decides what the members' reports mean for a session. The coordinator trusts no single report:
 * a key exists only when every member reported the same public key, and a signature only counts
 * when it verifies against the key.
 */
final class OutcomeJudge {
    /** The verdict after a report: still open, completed with a result, or failed. */
    sealed interface Verdict permits Open, Completed, Failed {
    }

    record Open() implements Verdict {
    }

    record Completed(byte[] publicKey, byte[] signature, Integer recoveryId) implements Verdict {
    }

    record Failed(String reason, String culprit) implements Verdict {
    }

    private OutcomeJudge() {
    }

    /**
     * @param keyPublicKey the key's public key for SIGN and REFRESH, null for KEYGEN
     * @param reporter     the member whose report just arrived
     */
    static Verdict judge(SessionRecord s, byte[] keyPublicKey, SessionRecord.Member reporter) {
        if (Boolean.FALSE.equals(reporter.succeeded())) {
            String culprit = reporter.culpritPartyId();
            if (culprit != null && s.member(culprit).isEmpty()) culprit = null;
            return new Failed("party " + reporter.partyId() + " aborted: " + reporter.failureReason(), culprit);
        }
        if (s.kind() == SessionKind.SIGN) {
            Signature sig = new Signature(reporter.resultSignature() == null ? new byte[0] : reporter.resultSignature(),
                    reporter.resultRecoveryId() == null ? OptionalInt.empty() : OptionalInt.of(reporter.resultRecoveryId()));
            if (!Schemes.byId(s.protocol()).verify(keyPublicKey, s.message(), sig)) {
                return new Failed("the signature reported by " + reporter.partyId() + " does not verify against key " + s.keyId(), reporter.partyId());
            }
            return new Completed(keyPublicKey, sig.bytes(), reporter.resultRecoveryId());
        }
        List<SessionRecord.Member> members = s.members();
        if (members.stream().anyMatch(m -> m.reportedAt() == null)) return new Open();
        byte[] first = members.get(0).resultPublicKey();
        for (SessionRecord.Member m : members) {
            if (!Arrays.equals(first, m.resultPublicKey())) return new Failed("parties reported different public keys", null);
        }
        if (s.kind() == SessionKind.REFRESH && !Arrays.equals(first, keyPublicKey)) {
            return new Failed("the refresh changed the public key", null);
        }
        return new Completed(first, null, null);
    }
}
