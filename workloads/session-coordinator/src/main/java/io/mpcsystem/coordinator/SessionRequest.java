package io.mpcsystem.coordinator;

import io.mpcsystem.proto.coordinator.v1.SessionKind;

/** A request for a session, from gRPC or REST, before validation. */
public record SessionRequest(SessionKind kind, String protocol, int threshold, int parties, String keyId, byte[] message, byte[] authorization) {
    /** A request no client signed (REFRESH from the operator, PRESIGN from the pool). */
    public SessionRequest(SessionKind kind, String protocol, int threshold, int parties, String keyId, byte[] message) {
        this(kind, protocol, threshold, parties, keyId, message, null);
    }
}
