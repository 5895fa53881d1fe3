package io.mpcsystem.account;

import com.google.protobuf.ByteString;
import io.mpcsystem.proto.RequestAuthorizations;
import io.mpcsystem.proto.coordinator.v1.RequestAuthorization;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.proto.coordinator.v1.SignedAuthorization;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Signs what this service allows the parties to do: each KEYGEN and SIGN request carries a
 * {@link RequestAuthorization} signed with MPC_REQUEST_SIGNING_KEY, which the parties check
 * against the public key they pin. A compromised coordinator or router cannot forge one, so it
 * cannot make the parties sign a message no client asked for. The key is never logged or shown.
 */
@ApplicationScoped
@Startup // made at start-up, so a missing or malformed key stops the service at once
public class RequestAuthorizer {
    /** The parties refuse an authorization valid for longer (server-party SessionAdmission.MAX_VALIDITY). */
    static final Duration MAX_TTL = Duration.ofMinutes(10);
    private final RequestAuthorizations.Signer signer;
    private final Duration ttl;
    private final Clock clock;

    @Inject
    RequestAuthorizer(AccountConfig config) {
        this(config.requests().signingKey().orElse(null), config.requests().authorizationTtl(), Clock.systemUTC());
    }

    RequestAuthorizer(String signingKey, Duration ttl, Clock clock) {
        this.signer = signer(signingKey);
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalStateException("MPC_REQUEST_AUTHORIZATION_TTL (mpc.requests.authorization-ttl) must be positive and at most "
                    + MAX_TTL.toMinutes() + " minutes (the parties refuse authorizations valid for longer)");
        }
        this.ttl = ttl;
        this.clock = clock;
    }

    private static RequestAuthorizations.Signer signer(String signingKey) {
        if (signingKey == null || signingKey.isBlank()) {
            throw new IllegalStateException("MPC_REQUEST_SIGNING_KEY (mpc.requests.signing-key) is not set: the parties take part "
                    + "only in KEYGEN and SIGN requests signed with it (base64 PKCS#8 Ed25519; its public key is their MPC_REQUEST_VERIFY_KEY)");
        }
        try {
            return RequestAuthorizations.Signer.fromBase64(signingKey);
        } catch (RuntimeException e) {
            // the message says what is wrong with the key without quoting it; the cause is not kept
            throw new IllegalStateException("MPC_REQUEST_SIGNING_KEY (mpc.requests.signing-key) is unusable: " + e.getMessage());
        }
    }

    /**
     * The authorization of a key generation under {@code keyId} (chosen here: the parties make the
     * key only under the id the client's service signed for, so a coordinator cannot aim one
     * authorization at two ids). No account exists yet.
     */
    public SignedAuthorization keygen(String protocol, int threshold, int parties, String keyId) {
        return sign(RequestAuthorization.newBuilder()
                .setKind(SessionKind.KEYGEN)
                .setProtocol(protocol)
                .setKeyId(keyId)
                .setThreshold(threshold)
                .setParties(parties));
    }

    /** The authorization to sign {@code message} (exactly the bytes the session request carries) with an account's key. */
    public SignedAuthorization sign(String protocol, String keyId, ByteString message, UUID accountId) {
        return sign(RequestAuthorization.newBuilder()
                .setKind(SessionKind.SIGN)
                .setProtocol(protocol)
                .setKeyId(keyId)
                .setMessage(message)
                .setAccountId(accountId.toString()));
    }

    private SignedAuthorization sign(RequestAuthorization.Builder authorization) {
        return RequestAuthorizations.sign(RequestAuthorizations.validFor(authorization.setRequestId(UUID.randomUUID().toString()), clock.instant(), ttl)
                .build(), signer);
    }

    @Override
    public String toString() {
        return "RequestAuthorizer[ttl=" + ttl + ", key redacted]";
    }
}
