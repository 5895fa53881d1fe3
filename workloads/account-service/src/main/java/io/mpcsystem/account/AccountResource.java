package io.mpcsystem.account;

import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.proto.coordinator.v1.SessionStatus;
import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.Signature;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The public API: create accounts (each with its own threshold key), read them, sign with them. */
@Path("/api/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {
    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX_MESSAGE = 65536;

    private final AccountRepository accounts;
    private final CoordinatorClient coordinator;
    private final SignatureAudit audit;
    private final int threshold;
    private final int parties;
    private final Duration timeout;

    public AccountResource(AccountRepository accounts, CoordinatorClient coordinator, SignatureAudit audit,
                           @ConfigProperty(name = "mpc.accounts.threshold") int threshold, @ConfigProperty(name = "mpc.accounts.parties") int parties,
                           @ConfigProperty(name = "mpc.accounts.timeout") Duration timeout) {
        this.accounts = accounts;
        this.coordinator = coordinator;
        this.audit = audit;
        this.threshold = threshold;
        this.parties = parties;
        this.timeout = timeout;
    }

    /** Body of POST /api/v1/accounts. */
    public record CreateBody(String curve, String label) {
    }

    /** Body of POST /api/v1/accounts/{id}/signatures: a hash (secp256k1) or a message (ed25519), hex. */
    public record SignBody(String hash, String message) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateBody body, @Context ContainerRequestContext ctx) {
        String curve = body == null || body.curve() == null ? "secp256k1" : body.curve();
        String protocol = switch (curve) {
            case "secp256k1" -> "dkls23";
            case "ed25519" -> "frost-ed25519";
            default -> throw Problem.badRequest("curve must be secp256k1 or ed25519");
        };
        String label = body == null ? null : body.label();
        if (label != null && label.length() > 200) throw Problem.badRequest("label is longer than 200 characters");
        Session s = coordinator.run(SessionKind.KEYGEN, protocol, threshold, parties, null, new byte[0], timeout);
        if (s.getStatus() != SessionStatus.COMPLETED) throw new Problem(502, "key generation failed: " + s.getFailureReason());
        byte[] pk = s.getPublicKey().toByteArray();
        String address = curve.equals("secp256k1") ? EthereumAddress.of(pk) : null;
        AccountRepository.Account a = new AccountRepository.Account(UUID.randomUUID().toString(), curve, protocol, s.getKeyId(), pk, address, label, Instant.now());
        // only a finished key becomes an account: a failed key generation leaves nothing behind
        accounts.insert(a, (String) ctx.getProperty(ApiKeyFilter.KEY_ID));
        return Response.created(URI.create("/api/v1/accounts/" + a.id())).entity(json(a)).build();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return json(find(id));
    }

    private AccountRepository.Account find(String id) {
        if (id == null || !id.matches("[0-9a-fA-F-]{1,64}")) throw Problem.notFound("no account " + id);
        return accounts.find(id).orElseThrow(() -> Problem.notFound("no account " + id));
    }

    @POST
    @Path("{id}/signatures")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> sign(@PathParam("id") String id, SignBody body, @Context ContainerRequestContext ctx) {
        AccountRepository.Account a = find(id);
        byte[] payload = payload(a, body);
        long auditId = audit.requested((String) ctx.getProperty(ApiKeyFilter.KEY_ID), a.id(), payload);
        Session s;
        try {
            s = coordinator.run(SessionKind.SIGN, a.protocol(), 0, 0, a.keyId(), payload, timeout);
        } catch (Problem p) {
            audit.finished(auditId, null, "FAILED", p.getMessage());
            throw p;
        }
        if (s.getStatus() != SessionStatus.COMPLETED) {
            audit.finished(auditId, s.getSessionId(), "FAILED", s.getFailureReason());
            throw new Problem(502, "signing failed: " + s.getFailureReason());
        }
        Signature sig = new Signature(s.getSignature().toByteArray(), s.hasRecoveryId() ? OptionalInt.of(s.getRecoveryId()) : OptionalInt.empty());
        // the coordinator verified it already; a signature that leaves this service is checked here too
        if (!Schemes.byId(a.protocol()).verify(a.publicKey(), payload, sig)) {
            audit.finished(auditId, s.getSessionId(), "FAILED", "signature did not verify");
            throw new Problem(502, "the signature returned by the coordinator does not verify");
        }
        audit.finished(auditId, s.getSessionId(), "SIGNED", null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accountId", a.id());
        out.put("sessionId", s.getSessionId());
        out.put("signature", HEX.formatHex(sig.bytes()));
        if (a.curve().equals("secp256k1")) {
            out.put("r", HEX.formatHex(sig.bytes(), 0, 32));
            out.put("s", HEX.formatHex(sig.bytes(), 32, 64));
            out.put("v", 27 + sig.recoveryId().orElseThrow());
        }
        return out;
    }

    private static byte[] payload(AccountRepository.Account a, SignBody body) {
        if (body == null) throw Problem.badRequest("a JSON body is required");
        if (a.curve().equals("secp256k1")) {
            if (body.hash() == null) throw Problem.badRequest("hash is required: the 32-byte hash to sign, as 64 hex characters");
            if (body.message() != null) throw Problem.badRequest("secp256k1 accounts sign a hash, not a message");
            if (!body.hash().matches("(0x)?[0-9a-fA-F]{64}")) throw Problem.badRequest("hash must be 32 bytes as 64 hex characters");
            return HEX.parseHex(body.hash().startsWith("0x") ? body.hash().substring(2) : body.hash());
        }
        if (body.message() == null) throw Problem.badRequest("message is required: the bytes to sign, as hex");
        if (body.hash() != null) throw Problem.badRequest("ed25519 accounts sign a message, not a hash");
        if (!body.message().matches("([0-9a-fA-F]{2}){1," + MAX_MESSAGE + "}")) throw Problem.badRequest("message must be 1 to " + MAX_MESSAGE + " bytes of hex");
        return HEX.parseHex(body.message());
    }

    private static Map<String, Object> json(AccountRepository.Account a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", a.id());
        out.put("curve", a.curve());
        out.put("protocol", a.protocol());
        out.put("keyId", a.keyId());
        out.put("publicKey", HEX.formatHex(a.publicKey()));
        if (a.address() != null) out.put("address", a.address());
        if (a.label() != null) out.put("label", a.label());
        out.put("createdAt", a.createdAt().toString());
        return out;
    }
}
