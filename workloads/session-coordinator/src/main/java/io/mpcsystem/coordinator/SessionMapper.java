package io.mpcsystem.coordinator;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.mpcsystem.proto.coordinator.v1.PartyIdentity;
import io.mpcsystem.proto.coordinator.v1.RosterEntry;
import io.mpcsystem.proto.coordinator.v1.Session;
import java.time.Instant;

/** Stored sessions to their gRPC form. */
final class SessionMapper {
    private SessionMapper() {
    }

    static Session toProto(SessionRecord s) {
        Session.Builder b = Session.newBuilder().setSessionId(s.id()).setKind(s.kind()).setProtocol(s.protocol()).setThreshold(s.threshold())
                .setParties(s.parties()).setKeyId(s.keyId()).setMessage(bytes(s.message())).setStatus(s.status())
                .setCreatedAt(ts(s.createdAt())).setDeadline(ts(s.deadline()));
        for (SessionRecord.Member m : s.members()) {
            b.addRoster(RosterEntry.newBuilder().setIndex(m.index()).setIdentity(PartyIdentity.newBuilder().setPartyId(m.partyId())
                    .setSigningKey(bytes(m.signingKey())).setEncryptionKey(bytes(m.encryptionKey()))));
        }
        if (s.publicKey() != null) b.setPublicKey(bytes(s.publicKey()));
        if (s.signature() != null) b.setSignature(bytes(s.signature()));
        if (s.recoveryId() != null) b.setRecoveryId(s.recoveryId());
        if (s.failureReason() != null) b.setFailureReason(s.failureReason());
        if (s.culpritPartyId() != null) b.setCulpritPartyId(s.culpritPartyId());
        if (s.presignatureId() != null) b.setPresignatureId(s.presignatureId());
        if (s.authorization() != null) {
            try {
                b.setAuthorization(io.mpcsystem.proto.coordinator.v1.SignedAuthorization.parseFrom(s.authorization()));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                // stored from a parsed message, so it always parses; a party refuses a session without one
            }
        }
        return b.build();
    }

    private static ByteString bytes(byte[] b) {
        return b == null ? ByteString.EMPTY : ByteString.copyFrom(b);
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
}
