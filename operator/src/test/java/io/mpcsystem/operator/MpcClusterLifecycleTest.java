package io.mpcsystem.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.desired.DesiredConfigMap;
import io.mpcsystem.operator.desired.WorkloadTls;
import io.mpcsystem.operator.reconciler.MpcClusterReconciler;
import io.mpcsystem.operator.reconciler.PartyRollout;
import io.mpcsystem.operator.reconciler.ResourceApplier;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MpcCluster controller over a cluster's life, against the mock API server: parties deleted by
 * hand come back, features turned off are pruned, an object that cannot be applied is reported
 * while the rest is applied, party changes roll one party at a time, generated credentials are
 * created once and never overwritten nor leaked, and a renewed TLS certificate rolls the pods.
 */
@EnableKubernetesMockClient(crud = true)
class MpcClusterLifecycleTest {
    static KubernetesClient client;

    /** An edit of the spec, retried when it races with the operator's status writes (HTTP 409). */
    static void edit(String name, java.util.function.UnaryOperator<MpcCluster> change) {
        for (int attempt = 0; ; attempt++) {
            try {
                client.resources(MpcCluster.class).inNamespace("mpc").withName(name).edit(change);
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 20) throw e;
            }
        }
    }
    private static Operator operator;
    /** "Kind/name" the test's applier refuses, as an API server answering 422 would. */
    private static final Set<String> refused = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() {
        ResourceApplier real = ResourceApplier.createOrUpdate();
        ResourceApplier failing = new ResourceApplier() {
            @Override
            public <T extends HasMetadata> void apply(KubernetesClient k, T resource) {
                if (refused.contains(resource.getKind() + "/" + resource.getMetadata().getName())) {
                    throw new KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(422)
                            .withMessage(resource.getKind() + " is invalid: refused by the test").build());
                }
                real.apply(k, resource);
            }
        };
        operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false).withSSABasedCreateUpdateMatchForDependentResources(false));
        operator.register(new MpcClusterReconciler(failing, Clock.systemUTC()));
        operator.start();
    }

    @AfterAll
    static void stop() {
        operator.stop();
    }

    private static MpcCluster create(String name, java.util.function.Consumer<MpcCluster> change) throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        c.getMetadata().setName(name);
        c.getMetadata().setUid(null);
        // parties are created once their keys exist: each cluster has a KeySet that has made them, unless the test says otherwise
        c.getSpec().keySetRef = name + "-keys";
        change.accept(c);
        if ((name + "-keys").equals(c.getSpec().keySetRef)
                && client.resources(io.mpcsystem.operator.crd.KeySet.class).inNamespace("mpc").withName(c.getSpec().keySetRef).get() == null) {
            keySetWithKeys(client, c.getSpec().keySetRef);
        }
        return client.resource(c).create();
    }

    private static MpcCluster get(String name) {
        return client.resources(MpcCluster.class).inNamespace("mpc").withName(name).get();
    }

    private static io.fabric8.kubernetes.api.model.Condition condition(String name, String type) {
        MpcCluster c = get(name);
        return c.getStatus() == null ? null : c.getStatus().conditions.stream().filter(x -> x.getType().equals(type)).findFirst().orElse(null);
    }

    private static StatefulSet party(String name, int i) {
        return client.apps().statefulSets().inNamespace("mpc").withName(name + "-party-" + i).get();
    }

    /** The StatefulSet controller and kubelet, for one party: the current template rolled and ready. */
    private static void settle(String name, int i) {
        StatefulSet s = party(name, i);
        var st = s.getStatus();
        if (st != null && st.getReadyReplicas() != null && st.getReadyReplicas() == 1 && st.getObservedGeneration() != null
                && st.getObservedGeneration().equals(s.getMetadata().getGeneration())) return;
        s.setStatus(new StatefulSetStatusBuilder().withReplicas(1).withReadyReplicas(1).withObservedGeneration(s.getMetadata().getGeneration())
                .withCurrentRevision("r").withUpdateRevision("r").build());
        client.apps().statefulSets().inNamespace("mpc").resource(s).updateStatus();
    }

    private static void deployment(String name, int ready) {
        var d = client.apps().deployments().inNamespace("mpc").withName(name).get();
        if (d.getStatus() != null && d.getStatus().getReadyReplicas() != null && d.getStatus().getReadyReplicas() == ready) return;
        d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(2).withReadyReplicas(ready).build());
        client.apps().deployments().inNamespace("mpc").resource(d).updateStatus();
    }

    private static String templateHash(StatefulSet s) {
        return s.getSpec().getTemplate().getMetadata().getAnnotations().get(PartyRollout.TEMPLATE_HASH_ANNOTATION);
    }

    @Test
    void aPartyDeletedByHandIsRecreatedNotRefused() throws Exception {
        create("l1", c -> { });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(party("l1", 3)).isNotNull();
            assertThat(get("l1").getStatus().partyCount).isEqualTo(3);
        });
        client.apps().statefulSets().inNamespace("mpc").withName("l1-party-2").delete();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(party("l1", 2)).isNotNull();
            assertThat(condition("l1", "SpecValid").getStatus()).isEqualTo("True");
        });
    }

    @Test
    void featuresTurnedOffArePruned() throws Exception {
        create("l2", c -> { });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(client.network().v1().networkPolicies().inNamespace("mpc").list().getItems()).filteredOn(p -> p.getMetadata().getName().startsWith("l2-")).hasSize(4);
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace("mpc").withName("l2-router").get()).isNotNull();
        });
        edit("l2", c -> {
            c.getSpec().networkPolicy = false;
            c.getSpec().router.replicas = 1;
            return c;
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(client.network().v1().networkPolicies().inNamespace("mpc").list().getItems()).noneMatch(p -> p.getMetadata().getName().startsWith("l2-"));
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace("mpc").withName("l2-router").get()).isNull();
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace("mpc").withName("l2-parties").get()).as("still wanted").isNotNull();
        });
        // what the cluster does not own is never pruned, even with its labels
        client.network().v1().networkPolicies().inNamespace("mpc").resource(new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder()
                .withNewMetadata().withName("l2-hand-made").addToLabels("app.kubernetes.io/instance", "l2")
                .addToLabels("app.kubernetes.io/managed-by", "mpc-operator").endMetadata().withNewSpec().withNewPodSelector().endPodSelector().endSpec().build()).create();
        edit("l2", c -> {
            c.getSpec().logLevel = "WARN";
            return c;
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(client.configMaps().inNamespace("mpc").withName("l2-config").get().getData()).containsEntry("LOG_LEVEL", "WARN"));
        assertThat(client.network().v1().networkPolicies().inNamespace("mpc").withName("l2-hand-made").get()).isNotNull();
    }

    @Test
    void anObjectThatCannotBeAppliedIsReportedAndTheRestIsApplied() throws Exception {
        refused.add("Service/l3-router");
        create("l3", c -> { });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            var applied = condition("l3", "Applied");
            assertThat(applied.getStatus()).isEqualTo("False");
            assertThat(applied.getMessage()).contains("Service l3-router: HTTP 422").contains("refused by the test");
            // everything else is there, the parties too
            assertThat(party("l3", 3)).isNotNull();
            assertThat(client.services().inNamespace("mpc").withName("l3-account").get()).isNotNull();
            assertThat(client.network().v1().networkPolicies().inNamespace("mpc").withName("l3-party").get()).isNotNull();
        });
        // a storage change cannot be applied to a StatefulSet: reported, the party keeps its volume, and the rest still changes
        edit("l3", c -> {
            c.getSpec().parties.storage.size = "5Gi";
            c.getSpec().coordinator.replicas = 3;
            return c;
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(condition("l3", "Applied").getMessage()).contains("storage cannot change from size 1Gi");
            assertThat(client.apps().deployments().inNamespace("mpc").withName("l3-coordinator").get().getSpec().getReplicas()).isEqualTo(3);
            assertThat(party("l3", 1).getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage").toString())
                    .isEqualTo("1Gi");
        });
        refused.remove("Service/l3-router");
        edit("l3", c -> {
            c.getSpec().parties.storage.size = "1Gi";
            return c;
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(condition("l3", "Applied").getStatus()).isEqualTo("True");
            assertThat(client.services().inNamespace("mpc").withName("l3-router").get()).isNotNull();
        });
        assertThat(client.v1().events().inNamespace("mpc").list().getItems()).anySatisfy(e -> {
            assertThat(e.getInvolvedObject().getName()).isEqualTo("l3");
            assertThat(e.getReason()).isEqualTo("ApplyFailed");
        });
    }

    @Test
    void aPartyChangeRollsOnePartyAtATimeAndReadyMeansEveryReplica() throws Exception {
        String keys = keySetWithKeys(client, "l4-keys");
        create("l4", c -> c.getSpec().keySetRef = keys);
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(party("l4", 3)).isNotNull());
        for (int i = 1; i <= 3; i++) settle("l4", i);
        String[] before = new String[4];
        for (int i = 1; i <= 3; i++) before[i] = templateHash(party("l4", i));
        edit("l4", c -> {
            c.getSpec().image.tag = "0.2.0";
            return c;
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(templateHash(party("l4", 1))).isNotEqualTo(before[1]);
            var progressing = condition("l4", "Progressing");
            assertThat(progressing.getStatus()).isEqualTo("True");
            assertThat(progressing.getMessage()).contains("rolling party 1 of 3");
            assertThat(get("l4").getStatus().phase).isNotEqualTo("Ready");
        });
        // a negative: party 2 must stay on its template for a while, not merely at one instant
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(templateHash(party("l4", 2))).as("party 2 waits until party 1 is ready").isEqualTo(before[2]));
        assertThat(templateHash(party("l4", 3))).isEqualTo(before[3]);
        // the mock server lets the operator's concurrent update overwrite a status: keep reporting it, as a kubelet does
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            settle("l4", 1);
            assertThat(templateHash(party("l4", 2))).isNotEqualTo(before[2]);
        });
        assertThat(templateHash(party("l4", 3))).isEqualTo(before[3]);
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            settle("l4", 2);
            assertThat(templateHash(party("l4", 3))).isNotEqualTo(before[3]);
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            settle("l4", 3);
            assertThat(condition("l4", "Progressing").getStatus()).isEqualTo("False");
            assertThat(party("l4", 3).getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith(":0.2.0");
            // parties all ready, but the stateless components are not: not Ready
            assertThat(condition("l4", "Ready").getStatus()).isEqualTo("False");
        });
        // one replica of each stateless component: the cluster can sign (Available) but is not Ready
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            for (String d : List.of("l4-coordinator", "l4-router", "l4-account")) deployment(d, 1);
            assertThat(condition("l4", "Available").getStatus()).isEqualTo("True");
            assertThat(condition("l4", "Ready").getStatus()).isEqualTo("False");
            assertThat(condition("l4", "Ready").getMessage()).contains("coordinator 1/2");
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            for (String d : List.of("l4-coordinator", "l4-router", "l4-account")) deployment(d, 2);
            for (int i = 1; i <= 3; i++) settle("l4", i);
            assertThat(condition("l4", "Ready").getStatus()).isEqualTo("True");
            assertThat(get("l4").getStatus().phase).isEqualTo("Ready");
        });
    }

    private static String decoded(Secret s, String key) {
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }

    @Test
    void generatedCredentialsAreCreatedOnceNeverOverwrittenRecreatedWhenDeletedAndNeverReported() throws Exception {
        // an admin key provided beforehand by hand is kept as it is
        client.secrets().inNamespace("mpc").resource(new SecretBuilder().withNewMetadata().withName("l5-admin-api-key").endMetadata()
                .addToData("api-key", Base64.getEncoder().encodeToString("given-by-hand".getBytes(StandardCharsets.UTF_8))).build()).create();
        create("l5", c -> { });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(client.secrets().inNamespace("mpc").withName("l5-caller-tokens").get()).isNotNull();
            assertThat(client.secrets().inNamespace("mpc").withName("l5-request-signing").get()).isNotNull();
        });
        Secret tokens = client.secrets().inNamespace("mpc").withName("l5-caller-tokens").get();
        Secret signing = client.secrets().inNamespace("mpc").withName("l5-request-signing").get();
        assertThat(decoded(client.secrets().inNamespace("mpc").withName("l5-admin-api-key").get(), "api-key")).isEqualTo("given-by-hand");
        // more reconciles: nothing changes
        edit("l5", c -> {
            c.getSpec().logLevel = "DEBUG";
            return c;
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(client.configMaps().inNamespace("mpc").withName("l5-config").get().getData()).containsEntry("LOG_LEVEL", "DEBUG"));
        assertThat(client.secrets().inNamespace("mpc").withName("l5-caller-tokens").get().getData()).isEqualTo(tokens.getData());
        assertThat(client.secrets().inNamespace("mpc").withName("l5-request-signing").get().getData()).isEqualTo(signing.getData());
        // deleted by hand: the label-filtered informer brings the cluster back, and a new one is made
        client.secrets().inNamespace("mpc").withName("l5-caller-tokens").delete();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(client.secrets().inNamespace("mpc").withName("l5-caller-tokens").get().getData().get("account"))
                        .isNotEqualTo(tokens.getData().get("account")));
        // owned objects deleted by hand come back through their informers
        client.network().v1().networkPolicies().inNamespace("mpc").withName("l5-coordinator").delete();
        client.serviceAccounts().inNamespace("mpc").withName("l5-party").delete();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(client.network().v1().networkPolicies().inNamespace("mpc").withName("l5-coordinator").get()).isNotNull();
            assertThat(client.serviceAccounts().inNamespace("mpc").withName("l5-party").get()).isNotNull();
        });
        // no value of any generated Secret in the status, in Events or in the owned objects
        List<String> values = new java.util.ArrayList<>();
        for (String name : List.of("l5-caller-tokens", "l5-request-signing")) {
            Secret s = client.secrets().inNamespace("mpc").withName(name).get();
            s.getData().keySet().forEach(k -> values.add(decoded(s, k)));
        }
        values.addAll(List.of(decoded(tokens, "account"), decoded(tokens, "operator")));
        StringBuilder visible = new StringBuilder(io.fabric8.kubernetes.client.utils.Serialization.asJson(get("l5").getStatus()));
        client.v1().events().inNamespace("mpc").list().getItems().forEach(e -> visible.append(e.getMessage()));
        client.apps().deployments().inNamespace("mpc").list().getItems().forEach(d -> visible.append(io.fabric8.kubernetes.client.utils.Serialization.asJson(d)));
        client.apps().statefulSets().inNamespace("mpc").list().getItems().forEach(d -> visible.append(io.fabric8.kubernetes.client.utils.Serialization.asJson(d)));
        client.configMaps().inNamespace("mpc").list().getItems().forEach(d -> visible.append(io.fabric8.kubernetes.client.utils.Serialization.asJson(d)));
        assertThat(values).hasSizeGreaterThanOrEqualTo(4).allSatisfy(v -> assertThat(visible.toString()).doesNotContain(v));
    }

    @Test
    void aRenewedTlsCertificateRollsThePods() throws Exception {
        Map<String, String> labels = Map.of("app.kubernetes.io/instance", "l6", "app.kubernetes.io/managed-by", "mpc-operator");
        client.secrets().inNamespace("mpc").resource(new SecretBuilder().withNewMetadata().withName("l6-tls").withLabels(labels).endMetadata()
                .addToData("tls.crt", "Y2VydC0x").addToData("tls.key", "a2V5").addToData("ca.crt", "Y2E=").build()).create();
        create("l6", c -> {
            c.getSpec().tls = true;
            c.getSpec().tlsSecret = "l6-tls";
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(client.apps().deployments().inNamespace("mpc")
                .withName("l6-router").get().getSpec().getTemplate().getMetadata().getAnnotations()).containsKey(WorkloadTls.TLS_HASH_ANNOTATION));
        String before = client.apps().deployments().inNamespace("mpc").withName("l6-router").get().getSpec().getTemplate().getMetadata().getAnnotations()
                .get(WorkloadTls.TLS_HASH_ANNOTATION);
        String config = client.apps().deployments().inNamespace("mpc").withName("l6-router").get().getSpec().getTemplate().getMetadata().getAnnotations()
                .get(DesiredConfigMap.CONFIG_HASH_ANNOTATION);
        client.secrets().inNamespace("mpc").withName("l6-tls").edit(s -> {
            s.getData().put("tls.crt", "Y2VydC0y");
            return s;
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            var annotations = client.apps().deployments().inNamespace("mpc").withName("l6-router").get().getSpec().getTemplate().getMetadata().getAnnotations();
            assertThat(annotations.get(WorkloadTls.TLS_HASH_ANNOTATION)).isNotEqualTo(before);
            assertThat(annotations.get(DesiredConfigMap.CONFIG_HASH_ANNOTATION)).isEqualTo(config);
        });
    }

    @Test
    void certManagerIssuesTheTlsSecretWhenAskedAndTheCertificateIsPrunedWhenNot() throws Exception {
        client.apiextensions().v1().customResourceDefinitions().resource(new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("certificates.cert-manager.io").endMetadata()
                .withNewSpec().withGroup("cert-manager.io").withScope("Namespaced")
                .withNewNames().withKind("Certificate").withPlural("certificates").withSingular("certificate").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion().endSpec().build()).create();
        create("l7", c -> {
            c.getSpec().tls = true;
            c.getSpec().tlsSecret = "l7-tls";
            c.getSpec().certManager = new io.mpcsystem.operator.crd.MpcClusterSpec.CertManager();
            c.getSpec().certManager.issuer = "mpc-ca";
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            var cert = client.genericKubernetesResources("cert-manager.io/v1", "Certificate").inNamespace("mpc").withName("l7-tls").get();
            assertThat(cert).isNotNull();
            assertThat(io.fabric8.kubernetes.client.utils.Serialization.asYaml(cert)).contains("l7-coordinator.mpc.svc").contains("*.l7-parties.mpc.svc");
            // until cert-manager has written the Secret, the cluster says so
            assertThat(condition("l7", "Applied").getMessage()).contains("TLS Secret l7-tls does not exist yet");
        });
        edit("l7", c -> {
            c.getSpec().certManager = null;
            return c;
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(client.genericKubernetesResources("cert-manager.io/v1", "Certificate").inNamespace("mpc").withName("l7-tls").get()).isNull());
    }

    /** A KeySet as its controller leaves it once every party's key exists (the mock server keeps the status given at create). */
    static String keySetWithKeys(KubernetesClient client, String name) {
        io.mpcsystem.operator.crd.KeySet ks = new io.mpcsystem.operator.crd.KeySet();
        ks.getMetadata().setName(name);
        ks.getMetadata().setNamespace("mpc");
        ks.setStatus(new io.mpcsystem.operator.crd.KeySetStatus());
        for (int i = 1; i <= 3; i++) ks.getStatus().parties.add(new io.mpcsystem.operator.crd.KeySetStatus.PartyKeyStatus(i, 1, "kek-" + i));
        client.resource(ks).create();
        return name;
    }

    @Test
    void aKeySetGoneForAMomentDoesNotRestartEveryParty() throws Exception {
        String keys = keySetWithKeys(client, "l8-keys");
        create("l8", c -> c.getSpec().keySetRef = keys);
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            for (int i = 1; i <= 3; i++) {
                assertThat(party("l8", i).getSpec().getTemplate().getMetadata().getAnnotations())
                        .containsEntry(io.mpcsystem.operator.desired.DesiredParties.KEK_HASH_ANNOTATION, "kek-" + i);
            }
        });
        client.resources(io.mpcsystem.operator.crd.KeySet.class).inNamespace("mpc").withName("l8-keys").delete();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(condition("l8", "KeysReady").getMessage()).contains("does not exist"));
        for (int i = 1; i <= 3; i++) {
            assertThat(party("l8", i).getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry(io.mpcsystem.operator.desired.DesiredParties.KEK_HASH_ANNOTATION, "kek-" + i);
        }
    }
}
