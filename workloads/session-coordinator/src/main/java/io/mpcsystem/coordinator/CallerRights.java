package io.mpcsystem.coordinator;

import io.mpcsystem.proto.coordinator.v1.SessionKind;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Who may ask the coordinator for what. Clients present a bearer token: the account service's
 * ({@code MPC_CALLER_TOKEN_ACCOUNT}) may create KEYGEN and SIGN sessions, the operator's
 * ({@code MPC_CALLER_TOKEN_OPERATOR}) REFRESH sessions and the key list; both may read sessions.
 * Parties need no token: everything they send is signed with their pinned identity key. A caller
 * without a configured token is refused, so a coordinator started without tokens serves parties only.
 */
@ApplicationScoped
public class CallerRights {
    private static final Logger LOG = Logger.getLogger(CallerRights.class);

    /** A client of the coordinator. */
    public enum Caller { ACCOUNT, OPERATOR }

    private final byte[] accountDigest;
    private final byte[] operatorDigest;

    public CallerRights(@ConfigProperty(name = "mpc.callers.account-token") Optional<String> accountToken,
                        @ConfigProperty(name = "mpc.callers.operator-token") Optional<String> operatorToken) {
        this.accountDigest = digestOf(accountToken, "MPC_CALLER_TOKEN_ACCOUNT");
        this.operatorDigest = digestOf(operatorToken, "MPC_CALLER_TOKEN_OPERATOR");
    }

    private static byte[] digestOf(Optional<String> token, String env) {
        String t = token.map(String::strip).orElse("");
        if (t.isEmpty()) {
            LOG.warnf("%s is not set: that caller is refused", env);
            return null;
        }
        if (t.length() < 32) throw new IllegalStateException(env + " must be at least 32 characters");
        return sha256(t);
    }

    /** The caller an {@code Authorization} header names, if its token is one of the configured ones. */
    public Optional<Caller> identify(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) return Optional.empty();
        byte[] presented = sha256(authorizationHeader.substring(7).strip());
        // both compared every time, in constant time: the answer's timing says nothing about either token
        boolean account = accountDigest != null && MessageDigest.isEqual(presented, accountDigest);
        boolean operator = operatorDigest != null && MessageDigest.isEqual(presented, operatorDigest);
        if (account) return Optional.of(Caller.ACCOUNT);
        if (operator) return Optional.of(Caller.OPERATOR);
        return Optional.empty();
    }

    /** The caller, or a refusal for a missing or unknown token. */
    public Caller authenticate(String authorizationHeader) {
        return identify(authorizationHeader).orElseThrow(() -> CoordinatorException.unauthenticated(
                "a caller token is required (Authorization: Bearer ...); parties use their signed requests instead"));
    }

    /** Refuses a caller that may not create a session of this kind. */
    public void requireToCreate(String authorizationHeader, SessionKind kind) {
        Caller c = authenticate(authorizationHeader);
        boolean allowed = switch (kind) {
            case KEYGEN, SIGN -> c == Caller.ACCOUNT;
            case REFRESH -> c == Caller.OPERATOR;
            default -> true; // refused as invalid by the planner with a better message
        };
        if (!allowed) throw CoordinatorException.denied("the " + c.name().toLowerCase(java.util.Locale.ROOT) + " caller may not create " + kind + " sessions");
    }

    public void requireToRead(String authorizationHeader) {
        authenticate(authorizationHeader);
    }

    public void requireToListKeys(String authorizationHeader) {
        if (authenticate(authorizationHeader) != Caller.OPERATOR) throw CoordinatorException.denied("only the operator may list keys");
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
