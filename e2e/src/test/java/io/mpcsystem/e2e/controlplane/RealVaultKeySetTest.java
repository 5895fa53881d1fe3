package io.mpcsystem.e2e.controlplane;

import static io.mpcsystem.e2e.controlplane.Clusters.condition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mpcsystem.operator.crd.KeySet;
import io.mpcsystem.operator.crd.MpcCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A KeySet kept in a real Vault: the operator (the chart's ServiceAccount) logs in through Vault's
 * Kubernetes auth method with a token for audience {@code vault}, which Vault checks by TokenReview
 * against the real API server, then keeps every party's key in KV v2 under the least-privilege
 * policy documented in the operator's README, and rotates them one party at a time.
 */
@Tag("controlplane")
@ExtendWith(ControlPlaneExtension.class)
class RealVaultKeySetTest {
    private static final String NS = "mpc-vault";
    /** The policy the operator's README gives for a KeySet with pathPrefix mpc-system on mount secret. */
    static final String POLICY = """
            path "secret/data/mpc-system/*" { capabilities = ["create", "read", "update"] }
            path "secret/metadata/mpc-system/*" { capabilities = ["read", "list"] }
            path "secret/destroy/mpc-system/*" { capabilities = ["update"] }
            """;
    private static KubernetesClient admin;
    private static ControlPlane cp;
    private static ChartOperator operator;
    private static PartyStatusStandIn parties;
    private static Clusters clusters;

    @BeforeAll
    static void install(ControlPlane controlPlane) {
        cp = controlPlane;
        admin = cp.admin();
        VaultDevServer vault = cp.vault();
        // Vault checks tokens with a reviewer of its own (system:auth-delegator), as a real install does
        admin.resource(new ServiceAccountBuilder().withNewMetadata().withName("vault-token-reviewer").withNamespace("kube-system").endMetadata().build())
                .serverSideApply();
        admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("vault-token-reviewer").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "system:auth-delegator")
                .addNewSubject().withKind("ServiceAccount").withName("vault-token-reviewer").withNamespace("kube-system").endSubject().build())
                .serverSideApply();
        String reviewer = ChartOperator.token(admin, "kube-system", "vault-token-reviewer", List.of());
        vault.call("POST", "sys/auth/kubernetes", "{\"type\":\"kubernetes\"}");
        vault.call("POST", "auth/kubernetes/config", json(Map.of("kubernetes_host", cp.apiServer(),
                "kubernetes_ca_cert", readString(cp.caFile()), "token_reviewer_jwt", reviewer)));
        vault.call("PUT", "sys/policies/acl/mpc-operator", json(Map.of("policy", POLICY)));
        vault.call("POST", "auth/kubernetes/role/mpc-operator", "{\"bound_service_account_names\":[\"mpc-operator\"],"
                + "\"bound_service_account_namespaces\":[\"mpc-system\"],\"audience\":\"vault\",\"token_policies\":[\"mpc-operator\"],\"token_ttl\":\"10m\"}");

        Clusters.restrictedNamespace(admin, NS);
        Clusters.persistentVolumes(admin, "pv-vault", 6);
        admin.resource(new SecretBuilder().withNewMetadata().withName("vault-ca").withNamespace(NS).endMetadata()
                .withStringData(Map.of("ca.crt", vault.caPem())).build()).serverSideApply();
        parties = new PartyStatusStandIn(admin);
        operator = ChartOperator.install(cp, "mpc-operator", "mpc-system",
                ChartOperator.Values.watching(NS).allowingVault(vault.address()), parties.observer());
        clusters = new Clusters(admin, NS);
    }

    @AfterAll
    static void uninstall() {
        if (clusters != null) clusters.deleteAll();
        if (operator != null) operator.close();
        if (parties != null) parties.close();
    }

    private static KeySet vaultKeySet(String name, String address) {
        KeySet ks = Clusters.sample("keyset-vault.yaml", KeySet.class);
        ks.getMetadata().setName(name);
        ks.getMetadata().setNamespace(NS);
        ks.getSpec().vault.address = address;
        ks.getSpec().rotation.partyTimeout = "2m";
        return ks;
    }

    private static KeySet keySet(String name) {
        return admin.resources(KeySet.class).inNamespace(NS).withName(name).get();
    }

    @Test
    void keysLiveInVaultAndRotateOnePartyAtATimeOnTheRealControllers() {
        admin.resource(vaultKeySet("custody-keys", cp.vault().address())).create();
        createCluster("custody", "custody-keys");

        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            KeySet ks = keySet("custody-keys");
            assertThat(ks.getStatus().currentVersion).as("%s", ks.getStatus().conditions).isEqualTo(1);
            assertThat(ks.getStatus().backend).containsIgnoringCase("vault");
            assertThat(condition(clusters.get("custody"), "Ready")).isEqualTo("True");
        });
        // the keys are in Vault, written by the operator's login, and the KEK Secrets carry the same ones
        for (int party = 1; party <= 3; party++) {
            String stored = cp.vault().call("GET", "secret/data/mpc-system/" + NS + "/custody-keys/party-" + party + "/v1", null);
            String kek = new String(Base64.getDecoder().decode(admin.secrets().inNamespace(NS).withName("custody-party-" + party + "-kek").get()
                    .getData().get("current")), StandardCharsets.UTF_8);
            assertThat(stored).contains(kek);
        }

        annotate("custody-keys", KeySet.ROTATE_ANNOTATION, "now");
        Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
            // one party at a time: never two party pods down at once
            long notReady = 0;
            for (int i = 1; i <= 3; i++) if (!Clusters.ready(clusters.partyPod("custody", i))) notReady++;
            assertThat(notReady).isLessThanOrEqualTo(1);
            KeySet ks = keySet("custody-keys");
            assertThat(ks.getStatus().lastRotationResult).as("%s", ks.getStatus().rotation.phase).startsWith("Succeeded");
            assertThat(ks.getStatus().currentVersion).isEqualTo(2);
        });
        for (int party = 1; party <= 3; party++) {
            assertThat(cp.vault().call("GET", "secret/data/mpc-system/" + NS + "/custody-keys/party-" + party + "/v2", null)).contains("\"data\"");
        }
        assertThat(condition(clusters.get("custody"), "Ready")).isEqualTo("True");
    }

    @Test
    void aVaultAddressOffTheAllowListGetsNoCredentials() {
        admin.resource(vaultKeySet("elsewhere-keys", "https://vault.example.invalid:8200")).create();
        createCluster("elsewhere", "elsewhere-keys");
        Awaitility.await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() -> {
            KeySet ks = keySet("elsewhere-keys");
            assertThat(ks.getStatus().conditions).anySatisfy(x -> assertThat(x.getMessage()).contains("not in the operator's allow-list"));
        });
    }

    private static void createCluster(String name, String keySet) {
        MpcCluster c = Clusters.sample("mpccluster-minimal.yaml", MpcCluster.class);
        c.getMetadata().setName(name);
        c.getMetadata().setNamespace(NS);
        c.getSpec().keySetRef = keySet;
        admin.resource(c).create();
    }

    private static void annotate(String name, String key, String value) {
        for (int attempt = 0; ; attempt++) {
            try {
                admin.resources(KeySet.class).inNamespace(NS).withName(name).edit(k -> {
                    if (k.getMetadata().getAnnotations() == null) k.getMetadata().setAnnotations(new java.util.HashMap<>());
                    k.getMetadata().getAnnotations().put(key, value);
                    return k;
                });
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 20) throw e;
            }
        }
    }

    private static String json(Map<String, String> m) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readString(java.nio.file.Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
