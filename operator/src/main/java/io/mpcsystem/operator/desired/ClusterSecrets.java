package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The credentials the operator generates for a cluster, each created once when absent and never
 * overwritten (a new value would lock out whoever holds the old one):
 * <ul>
 * <li>{@code <cluster>-caller-tokens}: {@code account} (the account service's token towards the
 * coordinator) and {@code operator} (the operator's own), 32 random bytes each, base64url without padding;</li>
 * <li>{@code <cluster>-request-signing}: an Ed25519 key pair, {@code private-key} (base64 of PKCS#8,
 * only the account service reads it) and {@code public-key} (base64 of X.509, every party reads it);</li>
 * <li>{@code <cluster>-admin-api-key}: {@code api-key}, the first admin API key (43 base64url
 * characters), unless {@code spec.accountService.adminApiKeySecret} names one.</li>
 * </ul>
 * Values never leave these Secrets: pods read them by reference; nothing logs, reports or throws them.
 */
public final class ClusterSecrets {
    public static final String ACCOUNT_TOKEN = "account";
    public static final String OPERATOR_TOKEN = "operator";
    public static final String PRIVATE_KEY = "private-key";
    public static final String PUBLIC_KEY = "public-key";
    public static final String API_KEY = "api-key";

    private ClusterSecrets() {
    }

    public static String callerTokens(MpcCluster c) {
        return c.getMetadata().getName() + "-caller-tokens";
    }

    public static String requestSigning(MpcCluster c) {
        return c.getMetadata().getName() + "-request-signing";
    }

    /** The Secret with the first admin API key: the spec's, or the one the operator generates. */
    public static String adminApiKey(MpcCluster c) {
        String given = c.getSpec().accountService == null ? null : c.getSpec().accountService.adminApiKeySecret;
        return given == null || given.isBlank() ? generatedAdminApiKey(c) : given;
    }

    public static String generatedAdminApiKey(MpcCluster c) {
        return c.getMetadata().getName() + "-admin-api-key";
    }

    /** 32 random bytes as base64url without padding (43 characters). */
    static String token(SecureRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        String out = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        java.util.Arrays.fill(b, (byte) 0);
        return out;
    }

    public static Secret callerTokensSecret(MpcCluster c, SecureRandom random) {
        return secret(c, callerTokens(c), Map.of(ACCOUNT_TOKEN, token(random), OPERATOR_TOKEN, token(random)));
    }

    public static Secret requestSigningSecret(MpcCluster c, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(255, random);
            KeyPair kp = g.generateKeyPair();
            return secret(c, requestSigning(c), Map.of(PRIVATE_KEY, Base64.getEncoder().encodeToString(kp.getPrivate().getEncoded()),
                    PUBLIC_KEY, Base64.getEncoder().encodeToString(kp.getPublic().getEncoded())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no Ed25519 key pair generator in this JVM", e);
        }
    }

    /** Null when the spec names its own Secret: the operator never creates or touches that one. */
    public static Secret adminApiKeySecret(MpcCluster c, SecureRandom random) {
        if (!adminApiKey(c).equals(generatedAdminApiKey(c))) return null;
        return secret(c, generatedAdminApiKey(c), Map.of(API_KEY, token(random)));
    }

    private static Secret secret(MpcCluster c, String name, Map<String, String> values) {
        Map<String, String> data = new TreeMap<>();
        values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return new SecretBuilder().withMetadata(Ownership.meta(c, name, Labels.all(c, "credentials"))).withType("Opaque").withData(data).build();
    }

    static EnvVar env(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef()
                .endValueFrom().build();
    }

    /** MPC_PARTY_IDS: the cluster's fixed set of parties, the same ids as their PARTY_ID. */
    static EnvVar partyIds(MpcCluster c) {
        StringBuilder ids = new StringBuilder();
        for (int i = 1; i <= c.getSpec().parties.count; i++) ids.append(i == 1 ? "" : ",").append(DesiredParties.partyId(c, i));
        return new EnvVarBuilder().withName("MPC_PARTY_IDS").withValue(ids.toString()).build();
    }
}
