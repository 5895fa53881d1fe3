package io.mpcsystem.coordinator;

import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.dkls23.Dkls23Combiner;
import io.mpcsystem.tss.dkls23.Dkls23SignatureShare;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
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
     * A SIGN session on a presignature: once every signer sent its share, the coordinator makes
     * the signature itself and keeps it only if it verifies. A share that does not even decode
     * is its sender's fault (the report is signed by it); a share that decodes but is wrong
     * cannot be told apart from the others at this step.
     */
    private static Verdict combine(SessionRecord s, byte[] keyPublicKey) {
        if (s.members().stream().anyMatch(m -> m.reportedAt() == null)) return new Open();
        List<Dkls23SignatureShare> shares = new ArrayList<>();
        for (SessionRecord.Member m : s.members()) {
            try {
                shares.add(Dkls23SignatureShare.decode(m.index(), m.resultSignatureShare() == null ? new byte[0] : m.resultSignatureShare()));
            } catch (IllegalArgumentException e) {
                return new Failed("the signature share reported by " + m.partyId() + " is malformed", m.partyId());
            }
        }
        Set<Integer> signers = new TreeSet<>();
        s.members().forEach(m -> signers.add(m.index()));
        try {
            Signature sig = Dkls23Combiner.combine(keyPublicKey, s.instanceKey(), s.message(), signers, shares);
            return new Completed(keyPublicKey, sig.bytes(), sig.recoveryId().orElseThrow());
        } catch (ProtocolAbort e) {
            return new Failed(e.getMessage(), null);
        }
    }

    /** A PRESIGN session: complete when every signer reported the same joint instance key R. */
    private static Verdict presigned(SessionRecord s, byte[] keyPublicKey) {
        if (s.members().stream().anyMatch(m -> m.reportedAt() == null)) return new Open();
        byte[] first = s.members().get(0).resultInstanceKey();
        if (first == null || first.length != 33) return new Failed("party " + s.members().get(0).partyId() + " reported no instance key", null);
        for (SessionRecord.Member m : s.members()) {
            if (!Arrays.equals(first, m.resultInstanceKey())) return new Failed("parties reported different instance keys", null);
        }
        return new Completed(keyPublicKey, null, null);
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
        if (s.kind() == SessionKind.SIGN && s.presignatureId() != null) return combine(s, keyPublicKey);
        if (s.kind() == SessionKind.PRESIGN) return presigned(s, keyPublicKey);
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
