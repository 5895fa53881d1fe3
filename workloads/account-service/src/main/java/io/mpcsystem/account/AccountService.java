package io.mpcsystem.account;

import io.mpcsystem.tss.Signature;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The account and signature use cases, with their audit trail. An account row is written only
 * after the coordinator reported the key generated, so a failed or timed-out keygen leaves no
 * account behind (only its audit record).
 */
@ApplicationScoped
public class AccountService {
    private static final Logger LOG = Logger.getLogger(AccountService.class);
    static final int MAX_LABEL = 128;
    private static final HexField HASH = new HexField("hash", 32, 32);
    private static final HexField MESSAGE = new HexField("message", 1, 65536);

    private final AccountRepository accounts;
    private final KeygenRequester keygen;
    private final SignRequester signer;
    private final SignatureAudit audit;
    private final RequestMetrics metrics;
    private final AccountConfig config;

    AccountService(AccountRepository accounts, KeygenRequester keygen, SignRequester signer, SignatureAudit audit,
                   RequestMetrics metrics, AccountConfig config) {
        this.accounts = accounts;
        this.keygen = keygen;
        this.signer = signer;
        this.audit = audit;
        this.metrics = metrics;
        this.config = config;
    }

    /** Creates an account of the caller's tenant (the caller needs scope sign). */
    public Account create(ApiKeyPrincipal caller, CreateAccountRequest body) {
        UUID apiKeyId = caller.id();
        CreateAccountRequest request = body == null ? new CreateAccountRequest(null, null) : body;
        Curve curve;
        String label;
        try {
            caller.require(Scope.SIGN);
            curve = Curve.requested(request.curve());
            label = label(request.label());
        } catch (ApiProblem refused) {
            reject(AuditOperation.KEYGEN, apiKeyId, null, refused);
            throw refused;
        }
        UUID id = UUID.randomUUID();
        long auditId = audit.accepted(AuditOperation.KEYGEN, apiKeyId, id.toString(), null);
        try {
            Instant deadline = Instant.now().plus(config.accounts().timeout());
            KeygenRequester.Started started = keygen.start(curve);
            String sessionId = started.sessionId();
            audit.session(auditId, sessionId);
            GeneratedKey key = keygen.await(curve, started, deadline);
            String address = curve == Curve.SECP256K1 ? EthereumAddress.ofPublicKey(key.publicKey()).value() : null;
            Account account = new Account(id, caller.tenant(), curve, key.keyId(), key.publicKey(), address, label,
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
            accounts.insert(account, apiKeyId, sessionId);
            finish(AuditOperation.KEYGEN, auditId, SignatureAudit.COMPLETED, "key " + key.keyId(), null);
            return account;
        } catch (RuntimeException e) {
            fail(AuditOperation.KEYGEN, auditId, e, null);
            throw e;
        }
    }

    /** An account of the caller's tenant (the caller needs scope read). */
    public Account find(ApiKeyPrincipal caller, String idText) {
        caller.require(Scope.READ);
        return ofTenant(caller, idText);
    }

    /**
     * Another tenant's account is answered exactly like one that does not exist, so a key cannot
     * even learn which ids exist elsewhere.
     */
    private Account ofTenant(ApiKeyPrincipal caller, String idText) {
        return accounts.find(accountId(idText))
                .filter(a -> a.tenant().equals(caller.tenant()))
                .orElseThrow(() -> ApiProblem.notFound("no account with id " + idText));
    }

    /** Signs with an account of the caller's tenant (the caller needs scope sign). */
    public IssuedSignature sign(ApiKeyPrincipal caller, String idText, SignRequest body) {
        UUID apiKeyId = caller.id();
        Account account;
        byte[] message;
        try {
            caller.require(Scope.SIGN);
            account = ofTenant(caller, idText);
            message = message(account.curve(), body);
        } catch (ApiProblem refused) {
            reject(AuditOperation.SIGN, apiKeyId, idText, refused);
            throw refused;
        }
        long auditId = audit.accepted(AuditOperation.SIGN, apiKeyId, account.id().toString(), digest(account.curve(), message));
        String sessionId = null;
        try {
            Instant deadline = Instant.now().plus(config.accounts().timeout());
            io.mpcsystem.proto.coordinator.v1.Session started = signer.start(account, message, deadline);
            sessionId = started.getSessionId();
            Signature signature = signer.await(account, message, started, deadline);
            finish(AuditOperation.SIGN, auditId, SignatureAudit.COMPLETED, null, sessionId);
            return new IssuedSignature(account.curve(), signature, sessionId);
        } catch (RuntimeException e) {
            fail(AuditOperation.SIGN, auditId, e, sessionId);
            throw e;
        }
    }

    private void reject(AuditOperation operation, UUID apiKeyId, String accountRef, ApiProblem refused) {
        audit.rejected(operation, apiKeyId, accountRef, refused.getMessage());
        metrics.record(operation, SignatureAudit.REJECTED);
    }

    private void finish(AuditOperation operation, long auditId, String outcome, String detail, String sessionId) {
        audit.finished(auditId, outcome, detail, sessionId);
        metrics.record(operation, outcome);
    }

    private void fail(AuditOperation operation, long auditId, RuntimeException e, String sessionId) {
        String outcome = e instanceof ApiProblem p && p.status() == 504 ? "TIMED_OUT" : SignatureAudit.FAILED;
        if (e instanceof ApiProblem p && p.status() >= 500) {
            // the client saw a fixed text and the correlation id; the cause is here and in the audit
            LOG.warnf("%s request failed with %d (correlation id %s): %s", operation, p.status(), p.correlationId(), p.auditDetail());
        }
        finish(operation, auditId, outcome, e instanceof ApiProblem p ? p.auditDetail() : "internal error", sessionId);
    }

    private static UUID accountId(String idText) {
        try {
            return UUID.fromString(idText);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiProblem.badRequest("account id must be a UUID");
        }
    }

    private static String label(String label) {
        if (label == null) return null;
        if (label.length() > MAX_LABEL) throw ApiProblem.badRequest("field 'label' must be at most " + MAX_LABEL + " characters");
        if (label.chars().anyMatch(Character::isISOControl)) throw ApiProblem.badRequest("field 'label' must not contain control characters");
        return label;
    }

    private static byte[] message(Curve curve, SignRequest body) {
        if (body == null) throw ApiProblem.badRequest("a JSON request body is required");
        return switch (curve) {
            case SECP256K1 -> {
                if (body.message() != null) throw ApiProblem.badRequest("secp256k1 accounts sign a 32-byte hash: send field 'hash', not 'message'");
                yield HASH.decode(body.hash());
            }
            case ED25519 -> {
                if (body.hash() != null) throw ApiProblem.badRequest("ed25519 accounts sign the message itself: send field 'message', not 'hash'");
                yield MESSAGE.decode(body.message());
            }
        };
    }

    /** The hash is kept as given; an Ed25519 message can be 64 KiB, so the audit keeps its SHA-256. */
    private static byte[] digest(Curve curve, byte[] message) {
        if (curve == Curve.SECP256K1) return message;
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
