package io.mpcsystem.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.desired.ClusterSecrets;
import io.mpcsystem.operator.desired.Component;
import io.mpcsystem.operator.desired.DesiredConfigMap;
import io.mpcsystem.operator.desired.DesiredDeployment;
import io.mpcsystem.operator.desired.DesiredParties;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The credentials the workloads need (issue 11): generated Secrets, and which workload reads which key by reference. */
class WorkloadCredentialsTest {
    private static Map<String, EnvVar> env(MpcCluster c, Component component) {
        return DesiredDeployment.of(c, component).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    private static Map<String, EnvVar> partyEnv(MpcCluster c, int i) {
        return DesiredParties.statefulSets(c, Map.of()).get(i - 1).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    private static String ref(EnvVar e) {
        assertThat(e).isNotNull();
        assertThat(e.getValue()).as("%s only by reference", e.getName()).isNull();
        return e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey();
    }

    private static String value(Secret s, String key) {
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }

    @Test
    void eachWorkloadReadsExactlyItsCredentials() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        Map<String, EnvVar> coordinator = env(c, Component.COORDINATOR);
        assertThat(ref(coordinator.get("MPC_CALLER_TOKEN_ACCOUNT"))).isEqualTo("demo-caller-tokens/account");
        assertThat(ref(coordinator.get("MPC_CALLER_TOKEN_OPERATOR"))).isEqualTo("demo-caller-tokens/operator");
        assertThat(coordinator.get("MPC_PARTY_IDS").getValue()).isEqualTo("demo-party-1,demo-party-2,demo-party-3");
        assertThat(coordinator).doesNotContainKeys("MPC_REQUEST_SIGNING_KEY", "MPC_BOOTSTRAP_API_KEY", "MPC_COORDINATOR_TOKEN");

        Map<String, EnvVar> account = env(c, Component.ACCOUNT_SERVICE);
        assertThat(ref(account.get("MPC_COORDINATOR_TOKEN"))).isEqualTo("demo-caller-tokens/account");
        assertThat(ref(account.get("MPC_REQUEST_SIGNING_KEY"))).isEqualTo("demo-request-signing/private-key");
        assertThat(ref(account.get("MPC_BOOTSTRAP_API_KEY"))).isEqualTo("demo-admin-api-key/api-key");
        assertThat(account).doesNotContainKeys("MPC_CALLER_TOKEN_OPERATOR", "MPC_CALLER_TOKEN_ACCOUNT", "MPC_REQUEST_VERIFY_KEY");

        assertThat(env(c, Component.ROUTER)).doesNotContainKeys("MPC_CALLER_TOKEN_ACCOUNT", "MPC_COORDINATOR_TOKEN", "MPC_REQUEST_SIGNING_KEY",
                "MPC_BOOTSTRAP_API_KEY", "MPC_REQUEST_VERIFY_KEY");

        for (int i = 1; i <= 3; i++) {
            Map<String, EnvVar> party = partyEnv(c, i);
            assertThat(ref(party.get("MPC_REQUEST_VERIFY_KEY"))).isEqualTo("demo-request-signing/public-key");
            assertThat(party.get("MPC_PARTY_IDS").getValue()).isEqualTo("demo-party-1,demo-party-2,demo-party-3")
                    .contains(party.get("PARTY_ID").getValue());
            assertThat(party).doesNotContainKeys("MPC_REQUEST_SIGNING_KEY", "MPC_CALLER_TOKEN_OPERATOR", "MPC_BOOTSTRAP_API_KEY");
        }
    }

    @Test
    void aGivenAdminKeySecretIsUsedAndNoneIsGenerated() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        assertThat(ClusterSecrets.adminApiKeySecret(c, new SecureRandom())).isNotNull();
        c.getSpec().accountService.adminApiKeySecret = "my-admin-key";
        assertThat(ref(env(c, Component.ACCOUNT_SERVICE).get("MPC_BOOTSTRAP_API_KEY"))).isEqualTo("my-admin-key/api-key");
        assertThat(ClusterSecrets.adminApiKeySecret(c, new SecureRandom())).as("the operator never creates or touches a named Secret").isNull();
    }

    @Test
    void generatedSecretsHaveTheAgreedShapes() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        SecureRandom random = new SecureRandom();
        Secret tokens = ClusterSecrets.callerTokensSecret(c, random);
        assertThat(tokens.getMetadata().getName()).isEqualTo("demo-caller-tokens");
        assertThat(tokens.getData()).containsOnlyKeys("account", "operator");
        for (String k : List.of("account", "operator")) {
            String t = value(tokens, k);
            assertThat(t).matches("[A-Za-z0-9_-]{43}");
            assertThat(Base64.getUrlDecoder().decode(t)).hasSize(32);
        }
        assertThat(value(tokens, "account")).isNotEqualTo(value(tokens, "operator"));
        assertThat(value(ClusterSecrets.callerTokensSecret(c, random), "account")).as("random, not derived").isNotEqualTo(value(tokens, "account"));

        Secret signing = ClusterSecrets.requestSigningSecret(c, random);
        assertThat(signing.getMetadata().getName()).isEqualTo("demo-request-signing");
        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        var priv = kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(value(signing, "private-key"))));
        var pub = kf.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(value(signing, "public-key"))));
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(priv);
        s.update("request".getBytes(StandardCharsets.UTF_8));
        byte[] sig = s.sign();
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(pub);
        v.update("request".getBytes(StandardCharsets.UTF_8));
        assertThat(v.verify(sig)).as("the public key matches the private key").isTrue();

        Secret admin = ClusterSecrets.adminApiKeySecret(c, random);
        assertThat(admin.getMetadata().getName()).isEqualTo("demo-admin-api-key");
        assertThat(value(admin, "api-key")).matches("[A-Za-z0-9_-]{43}");
        assertThat(List.of(tokens, signing, admin)).allSatisfy(x -> {
            assertThat(x.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
            assertThat(x.toString()).as("no value in toString of the metadata").doesNotContain(value(admin, "api-key"));
        });
    }

    @Test
    void theConfigHashCoversOnlyWhatEachComponentReads() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        String coordinator = hash(DesiredDeployment.of(c, Component.COORDINATOR).getSpec().getTemplate().getMetadata().getAnnotations());
        String router = hash(DesiredDeployment.of(c, Component.ROUTER).getSpec().getTemplate().getMetadata().getAnnotations());
        String party = hash(DesiredParties.statefulSets(c, Map.of()).get(0).getSpec().getTemplate().getMetadata().getAnnotations());
        c.getSpec().presignaturePoolSize = 7;
        assertThat(hash(DesiredDeployment.of(c, Component.COORDINATOR).getSpec().getTemplate().getMetadata().getAnnotations())).isNotEqualTo(coordinator);
        assertThat(hash(DesiredDeployment.of(c, Component.ROUTER).getSpec().getTemplate().getMetadata().getAnnotations())).isEqualTo(router);
        assertThat(hash(DesiredParties.statefulSets(c, Map.of()).get(0).getSpec().getTemplate().getMetadata().getAnnotations()))
                .as("a coordinator-only setting does not roll the parties").isEqualTo(party);
        c.getSpec().database.host = "elsewhere";
        assertThat(hash(DesiredDeployment.of(c, Component.ROUTER).getSpec().getTemplate().getMetadata().getAnnotations())).as("the router has no database").isEqualTo(router);
        assertThat(hash(DesiredParties.statefulSets(c, Map.of()).get(0).getSpec().getTemplate().getMetadata().getAnnotations())).isEqualTo(party);
        c.getSpec().logLevel = "DEBUG";
        assertThat(hash(DesiredParties.statefulSets(c, Map.of()).get(0).getSpec().getTemplate().getMetadata().getAnnotations())).isNotEqualTo(party);
    }

    private static String hash(Map<String, String> annotations) {
        return annotations.get(DesiredConfigMap.CONFIG_HASH_ANNOTATION);
    }
}
