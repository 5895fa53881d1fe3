package io.mpcsystem.coordinator;

import com.google.protobuf.ByteString;
import io.mpcsystem.proto.SignedBytes;
import com.google.protobuf.Timestamp;
import io.mpcsystem.proto.coordinator.v1.JoinSessionRequest;
import io.mpcsystem.proto.coordinator.v1.PartyIdentity;
import io.mpcsystem.proto.coordinator.v1.RegisterPartyRequest;
import io.mpcsystem.proto.coordinator.v1.WatchSessionsRequest;
import io.mpcsystem.proto.coordinator.v1.ReportOutcomeRequest;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;

/** A party's identity as the coordinator sees it: real JDK Ed25519 and X25519 keys, and report signing. */
final class TestParty {
    final String id;
    private final KeyPair signing;
    private final KeyPair encryption;

    TestParty(String id) throws Exception {
        this.id = id;
        this.signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        this.encryption = KeyPairGenerator.getInstance("X25519").generateKeyPair();
    }

    private static byte[] raw(java.security.PublicKey k) {
        byte[] e = k.getEncoded();
        return Arrays.copyOfRange(e, e.length - 32, e.length);
    }

    PartyIdentity identity() {
        return PartyIdentity.newBuilder().setPartyId(id).setSigningKey(ByteString.copyFrom(raw(signing.getPublic())))
                .setEncryptionKey(ByteString.copyFrom(raw(encryption.getPublic()))).build();
    }

    ReportOutcomeRequest sign(ReportOutcomeRequest unsigned) throws Exception {
        return unsigned.toBuilder().setSignature(ByteString.copyFrom(ed25519(SignedBytes.report(unsigned)))).build();
    }

    /** A registration of this identity, signed now with its own key. */
    RegisterPartyRequest registration() {
        RegisterPartyRequest unsigned = RegisterPartyRequest.newBuilder().setIdentity(identity()).setIssuedAt(now()).build();
        return unsigned.toBuilder().setSignature(ByteString.copyFrom(ed25519(SignedBytes.registration(unsigned)))).build();
    }

    WatchSessionsRequest watch() {
        WatchSessionsRequest unsigned = WatchSessionsRequest.newBuilder().setPartyId(id).setIssuedAt(now()).build();
        return unsigned.toBuilder().setSignature(ByteString.copyFrom(ed25519(SignedBytes.watch(unsigned)))).build();
    }

    JoinSessionRequest join(String sessionId) {
        JoinSessionRequest unsigned = JoinSessionRequest.newBuilder().setSessionId(sessionId).setPartyId(id).build();
        return unsigned.toBuilder().setSignature(ByteString.copyFrom(ed25519(SignedBytes.join(unsigned)))).build();
    }

    private static Timestamp now() {
        java.time.Instant n = java.time.Instant.now();
        return Timestamp.newBuilder().setSeconds(n.getEpochSecond()).setNanos(n.getNano()).build();
    }

    private byte[] ed25519(byte[] bytes) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(signing.getPrivate());
            s.update(bytes);
            return s.sign();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
