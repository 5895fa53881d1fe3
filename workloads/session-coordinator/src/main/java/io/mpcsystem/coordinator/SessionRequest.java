package io.mpcsystem.coordinator;

import io.mpcsystem.proto.coordinator.v1.SessionKind;

/** A request for a session, from gRPC or REST, before validation. */
public record SessionRequest(SessionKind kind, String protocol, int threshold, int parties, String keyId, byte[] message) {
}
