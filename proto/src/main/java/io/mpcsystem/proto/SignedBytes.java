package io.mpcsystem.proto;

import io.mpcsystem.proto.coordinator.v1.JoinSessionRequest;
import io.mpcsystem.proto.coordinator.v1.RegisterPartyRequest;
import io.mpcsystem.proto.coordinator.v1.ReportOutcomeRequest;
import io.mpcsystem.proto.coordinator.v1.WatchSessionsRequest;
import io.mpcsystem.proto.router.v1.Envelope;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The exact bytes a party signs (Ed25519, its identity key) for the messages it sends through
 * untrusted services. Both the signer and every verifier use this class, so the two sides can
 * never disagree on an encoding.
 */
public final class SignedBytes {
    private SignedBytes() {
    }

    /**
     * An envelope's session, round, sender, receiver and payload, each length-prefixed after a
     * domain tag; the router-assigned stream id is not signed.
     */
    public static byte[] envelope(Envelope e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(e.getPayload().size() + 128);
        field(out, "mpc-system/router/envelope/v1".getBytes(StandardCharsets.UTF_8));
        field(out, e.getSessionId().getBytes(StandardCharsets.UTF_8));
        field(out, intBytes(e.getRound()));
        field(out, e.getFromParty().getBytes(StandardCharsets.UTF_8));
        field(out, e.getToParty().getBytes(StandardCharsets.UTF_8));
        field(out, e.getPayload().toByteArray());
        return out.toByteArray();
    }

    /** A report with its signature field cleared, after a domain tag. */
    public static byte[] report(ReportOutcomeRequest r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        field(out, "mpc-system/coordinator/report/v1".getBytes(StandardCharsets.UTF_8));
        field(out, r.toBuilder().clearSignature().build().toByteArray());
        return out.toByteArray();
    }

    /** A registration with its signature field cleared, after a domain tag. */
    public static byte[] registration(RegisterPartyRequest r) {
        return tagged("mpc-system/coordinator/register/v1", r.toBuilder().clearSignature().build().toByteArray());
    }

    /** A watch request with its signature field cleared, after a domain tag. */
    public static byte[] watch(WatchSessionsRequest r) {
        return tagged("mpc-system/coordinator/watch/v1", r.toBuilder().clearSignature().build().toByteArray());
    }

    /** A join with its signature field cleared, after a domain tag. */
    public static byte[] join(JoinSessionRequest r) {
        return tagged("mpc-system/coordinator/join/v1", r.toBuilder().clearSignature().build().toByteArray());
    }

    /** The bytes of a serialised RequestAuthorization, after a domain tag. */
    public static byte[] authorization(byte[] serialised) {
        return tagged("mpc-system/request-authorization/v1", serialised);
    }

    private static byte[] tagged(String tag, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 48);
        field(out, tag.getBytes(StandardCharsets.UTF_8));
        field(out, body);
        return out.toByteArray();
    }

    private static void field(ByteArrayOutputStream out, byte[] v) {
        out.writeBytes(intBytes(v.length));
        out.writeBytes(v);
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
