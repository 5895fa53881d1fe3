package io.mpcsystem.coordinator;

import com.google.protobuf.ByteString;
import io.mpcsystem.proto.SignedBytes;
import io.mpcsystem.proto.coordinator.v1.PartyIdentity;
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
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(signing.getPrivate());
        s.update(SignedBytes.report(unsigned));
        return unsigned.toBuilder().setSignature(ByteString.copyFrom(s.sign())).build();
    }
}
