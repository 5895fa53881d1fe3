package io.mpcsystem.coordinator;

import io.mpcsystem.proto.coordinator.v1.SessionKind;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.HexFormat;
import java.util.List;

/** REST access to sessions: {@code POST /api/v1/sessions}, {@code GET /api/v1/sessions/{id}}. */
@Path("/api/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {
    private static final HexFormat HEX = HexFormat.of();
    private final SessionService service;
    private final CallerRights rights;

    public SessionResource(SessionService service, CallerRights rights) {
        this.service = service;
        this.rights = rights;
    }

    /** The request body; bytes as hex, the client's SignedAuthorization (KEYGEN, SIGN) as base64 of its protobuf encoding. */
    public record CreateBody(String kind, String protocol, Integer threshold, Integer parties, String keyId, String message, String authorization) {
    }

    /** A session as JSON; bytes as hex. */
    public record SessionJson(String id, String kind, String protocol, int threshold, int parties, String keyId, String message, String status,
                              List<MemberJson> roster, String publicKey, String signature, Integer recoveryId, String failureReason,
                              String culpritPartyId, String createdAt, String deadline, String presignatureId) {
    }

    /** A roster member as JSON. */
    public record MemberJson(int index, String partyId, boolean joined, boolean reported) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@HeaderParam("Authorization") String authorization, CreateBody body) {
        rights.authenticate(authorization);
        if (body == null) throw CoordinatorException.invalid("a JSON body is required");
        SessionKind kind;
        try {
            kind = body.kind() == null ? null : SessionKind.valueOf(body.kind().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            kind = null;
        }
        if (kind == null || kind == SessionKind.SESSION_KIND_UNSPECIFIED || kind == SessionKind.UNRECOGNIZED || kind == SessionKind.PRESIGN) {
            throw CoordinatorException.invalid("kind must be keygen, sign or refresh");
        }
        rights.requireToCreate(authorization, kind);
        byte[] message;
        try {
            message = body.message() == null ? new byte[0] : HEX.parseHex(body.message());
        } catch (IllegalArgumentException e) {
            throw CoordinatorException.invalid("message must be hex");
        }
        byte[] signed = null;
        if (body.authorization() != null && !body.authorization().isBlank()) {
            try {
                signed = java.util.Base64.getDecoder().decode(body.authorization().strip());
                io.mpcsystem.proto.coordinator.v1.SignedAuthorization.parseFrom(signed);
            } catch (IllegalArgumentException | com.google.protobuf.InvalidProtocolBufferException e) {
                throw CoordinatorException.invalid("authorization must be the base64 of a SignedAuthorization");
            }
        }
        SessionRecord s = service.create(new SessionRequest(kind, body.protocol(), body.threshold() == null ? 0 : body.threshold(),
                body.parties() == null ? 0 : body.parties(), body.keyId(), message, signed));
        return Response.created(URI.create("/api/v1/sessions/" + s.id())).entity(json(s)).build();
    }

    @GET
    @Path("{id}")
    public SessionJson get(@HeaderParam("Authorization") String authorization, @PathParam("id") String id) {
        rights.requireToRead(authorization);
        return json(service.get(id));
    }

    static SessionJson json(SessionRecord s) {
        return new SessionJson(s.id(), s.kind().name().toLowerCase(java.util.Locale.ROOT), s.protocol(), s.threshold(), s.parties(), s.keyId(),
                s.message() == null ? "" : HEX.formatHex(s.message()), s.status().name(),
                s.members().stream().map(m -> new MemberJson(m.index(), m.partyId(), m.joinedAt() != null, m.reportedAt() != null)).toList(),
                s.publicKey() == null ? null : HEX.formatHex(s.publicKey()), s.signature() == null ? null : HEX.formatHex(s.signature()),
                s.recoveryId(), s.failureReason(), s.culpritPartyId(), s.createdAt().toString(), s.deadline().toString(), s.presignatureId());
    }
}
