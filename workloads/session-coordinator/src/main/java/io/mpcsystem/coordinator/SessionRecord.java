package io.mpcsystem.coordinator;

import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.proto.coordinator.v1.SessionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A session as stored: its request, roster (with each member's outcome) and result. A SIGN session
 * that uses a presignature names it and carries its joint instance key R.
 */
public record SessionRecord(String id, SessionKind kind, String protocol, int threshold, int parties, String keyId, byte[] message,
                            SessionStatus status, byte[] publicKey, byte[] signature, Integer recoveryId, String failureReason,
                            String culpritPartyId, Instant createdAt, Instant deadline, List<Member> members, String presignatureId,
                            byte[] instanceKey, byte[] authorization) {

    /** A roster member: its share index, identity keys as of the session's creation, and what it reported. */
    public record Member(String partyId, int index, byte[] signingKey, byte[] encryptionKey, Instant joinedAt, Instant reportedAt,
                         Boolean succeeded, byte[] resultPublicKey, byte[] resultSignature, Integer resultRecoveryId,
                         String failureReason, String culpritPartyId, byte[] resultInstanceKey, byte[] resultSignatureShare) {
    }

    /** The same planned session on a presignature: its signers replace the roster. */
    SessionRecord usingPresignature(String presignature, byte[] r, List<Member> signers) {
        return new SessionRecord(this.id, kind, protocol, threshold, parties, keyId, message, status, publicKey, signature, recoveryId, failureReason,
                culpritPartyId, createdAt, deadline, List.copyOf(signers), presignature, r, authorization);
    }

    /** This session after a member's report, as the database holds it once the report is recorded. */
    SessionRecord withOutcome(String partyId, SessionRepository.Outcome o, Instant at) {
        List<Member> updated = members.stream().map(m -> !m.partyId().equals(partyId) ? m : new Member(m.partyId(), m.index(), m.signingKey(),
                m.encryptionKey(), m.joinedAt(), at, o.succeeded(), o.publicKey(), o.signature(), o.recoveryId(), o.failureReason(), o.culprit(),
                o.instanceKey(), o.signatureShare())).toList();
        return new SessionRecord(id, kind, protocol, threshold, parties, keyId, message, status, publicKey, signature, recoveryId, failureReason,
                culpritPartyId, createdAt, deadline, updated, presignatureId, instanceKey, authorization);
    }

    /** This session once completed with a result. */
    SessionRecord completed(byte[] resultPublicKey, byte[] resultSignature, Integer resultRecoveryId) {
        return new SessionRecord(id, kind, protocol, threshold, parties, keyId, message, SessionStatus.COMPLETED, resultPublicKey, resultSignature,
                resultRecoveryId, failureReason, culpritPartyId, createdAt, deadline, members, presignatureId, instanceKey, authorization);
    }

    /** This session once failed. */
    SessionRecord failed(String reason, String culprit) {
        return new SessionRecord(id, kind, protocol, threshold, parties, keyId, message, SessionStatus.FAILED, publicKey, signature, recoveryId,
                reason, culprit, createdAt, deadline, members, presignatureId, instanceKey, authorization);
    }

    /** The client's signed authorization (a serialised SignedAuthorization), or null for sessions no client asked for. */
    @Override
    public byte[] authorization() {
        return authorization;
    }

    public boolean isTerminal() {
        return status == SessionStatus.COMPLETED || status == SessionStatus.FAILED;
    }

    public Optional<Member> member(String partyId) {
        return members.stream().filter(m -> m.partyId().equals(partyId)).findFirst();
    }
}
