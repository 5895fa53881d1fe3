package io.mpcsystem.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.reconciler.MpcClusterReconciler;
import io.mpcsystem.operator.reconciler.ResourceApplier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The running operator against fabric8's mock API server in CRUD mode (no server-side apply there). */
@EnableKubernetesMockClient(crud = true)
class MpcClusterOperatorTest {
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
    private static OperatorEndpoints endpoints;

    @BeforeAll
    static void start() throws Exception {
        var registry = new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false).withSSABasedCreateUpdateMatchForDependentResources(false)
                .withMetrics(io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics.withoutPerResourceMetrics(registry)));
        operator.register(new MpcClusterReconciler(ResourceApplier.createOrUpdate(), Clock.systemUTC()));
        endpoints = new OperatorEndpoints(0, () -> operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy(), registry);
        operator.start();
    }

    @AfterAll
    static void stop() {
        operator.stop();
        endpoints.close();
    }

    private static MpcCluster create(String name, int count, int threshold) throws Exception {
        return create(name, count, threshold, MpcClusterLifecycleTest.keySetWithKeys(client, name + "-keys"));
    }

    private static MpcCluster create(String name, int count, int threshold, String keySet) throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        c.getSpec().keySetRef = keySet;
        c.getMetadata().setName(name);
        c.getMetadata().setUid(null);
        c.getSpec().parties.count = count;
        c.getSpec().parties.threshold = threshold;
        return client.resource(c).create();
    }

    private static MpcCluster get(String name) {
        return client.resources(MpcCluster.class).inNamespace("mpc").withName(name).get();
    }

    private static String condition(MpcCluster c, String type) {
        return c.getStatus() == null ? null : c.getStatus().conditions.stream().filter(x -> x.getType().equals(type)).map(x -> x.getStatus()).findFirst().orElse(null);
    }

    @Test
    void buildsTheClusterReportsProgressThenReadyAndRepairsWhatIsDeleted() throws Exception {
        // the KeySet demo-keys does not exist yet
        create("alpha", 3, 2, "demo-keys");
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace("mpc").list().getItems()).extracting(d -> d.getMetadata().getName())
                    .contains("alpha-coordinator", "alpha-router", "alpha-account");
            assertThat(client.network().v1().networkPolicies().inNamespace("mpc").list().getItems()).hasSizeGreaterThanOrEqualTo(4);
            assertThat(client.configMaps().inNamespace("mpc").withName("alpha-config").get().getData()).containsEntry("MPC_REDIS_PORT", "6379");
            assertThat(client.serviceAccounts().inNamespace("mpc").list().getItems()).extracting(a -> a.getMetadata().getName())
                    .contains("alpha-coordinator", "alpha-router", "alpha-account", "alpha-party");
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace("mpc").withName("alpha-parties").get().getSpec().getMinAvailable().getIntVal())
                    .isEqualTo(2);
            MpcCluster c = get("alpha");
            assertThat(c.getStatus().phase).isEqualTo("Progressing");
            assertThat(condition(c, "SpecValid")).isEqualTo("True");
            assertThat(c.getStatus().observedGeneration).isEqualTo(c.getMetadata().getGeneration());
            assertThat(condition(c, "KeysReady")).isEqualTo("False");
            assertThat(c.getStatus().conditions).anySatisfy(x -> assertThat(x.getMessage()).contains("KeySet demo-keys does not exist"));
            assertThat(events("alpha")).contains("Warning/KeysMissing");
            assertThat(c.getStatus().conditions).anySatisfy(x -> assertThat(x.getMessage())
                    .contains("parties [1, 2, 3] wait for their keys from KeySet demo-keys"));
        });
        // no party is created before its key exists: its pod could not start, and would restart when the key came
        assertThat(client.apps().statefulSets().inNamespace("mpc").list().getItems()).noneMatch(s -> s.getMetadata().getName().startsWith("alpha-"));
        MpcClusterLifecycleTest.keySetWithKeys(client, "demo-keys");
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(client.apps().statefulSets().inNamespace("mpc").list().getItems()).extracting(d -> d.getMetadata().getName())
                    .contains("alpha-party-1", "alpha-party-2", "alpha-party-3");
            assertThat(client.apps().statefulSets().inNamespace("mpc").withName("alpha-party-2").get().getSpec().getTemplate().getMetadata()
                    .getAnnotations()).containsEntry("mpc.mpcsystem.io/kek-hash", "kek-2");
        });
        // the "kubelet": every workload becomes ready, and keeps reporting so (the mock server, unlike
        // a real one, lets a concurrent spec update overwrite a status)
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            markReady("alpha");
            MpcCluster c = get("alpha");
            assertThat(c.getStatus().phase).as("%s", c.getStatus().conditions).isEqualTo("Ready");
            assertThat(c.getStatus().partiesReady).isEqualTo("3/3");
            assertThat(condition(c, "Ready")).isEqualTo("True");
            assertThat(events("alpha")).contains("Normal/Ready");
        });
        client.apps().deployments().inNamespace("mpc").withName("alpha-router").delete();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(client.apps().deployments().inNamespace("mpc").withName("alpha-router").get()).isNotNull());
    }

    /** "type/reason" of every Event about this MpcCluster. */
    private static java.util.List<String> events(String name) {
        return client.v1().events().inNamespace("mpc").list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()) && "MpcCluster".equals(e.getInvolvedObject().getKind()))
                .map(e -> e.getType() + "/" + e.getReason()).toList();
    }

    private static void markReady(String name) {
        for (String d : new String[] {name + "-coordinator", name + "-router", name + "-account"}) {
            var dep = client.apps().deployments().inNamespace("mpc").withName(d).get();
            if (dep.getStatus() != null && dep.getStatus().getReadyReplicas() != null) continue;
            dep.setStatus(new DeploymentStatusBuilder().withReadyReplicas(2).withReplicas(2).build());
            client.apps().deployments().inNamespace("mpc").resource(dep).updateStatus();
        }
        for (int i = 1; i <= 3; i++) {
            var s = client.apps().statefulSets().inNamespace("mpc").withName(name + "-party-" + i).get();
            if (s.getStatus() != null && s.getStatus().getReadyReplicas() != null) continue;
            s.setStatus(new StatefulSetStatusBuilder().withReadyReplicas(1).withReplicas(1).build());
            client.apps().statefulSets().inNamespace("mpc").resource(s).updateStatus();
        }
    }

    @Test
    void deletingAClusterLeavesItsObjectsToGarbageCollectionByOwnerReference() throws Exception {
        MpcCluster created = create("zeta", 2, 2);
        String uid = created.getMetadata().getUid();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(client.apps().statefulSets().inNamespace("mpc").withName("zeta-party-2").get()).isNotNull());
        client.resources(MpcCluster.class).inNamespace("mpc").withName("zeta").delete();
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("zeta")).isNull());
        // no finalizer is needed: everything the cluster owns names it as controller, and the API
        // server's garbage collector (not present in the mock server; see e2e/) removes it
        List<HasMetadata> owned = new java.util.ArrayList<>();
        owned.addAll(client.apps().deployments().inNamespace("mpc").list().getItems());
        owned.addAll(client.apps().statefulSets().inNamespace("mpc").list().getItems());
        owned.addAll(client.services().inNamespace("mpc").list().getItems());
        owned.addAll(client.configMaps().inNamespace("mpc").list().getItems());
        owned.addAll(client.serviceAccounts().inNamespace("mpc").list().getItems());
        owned.addAll(client.policy().v1().podDisruptionBudget().inNamespace("mpc").list().getItems());
        owned.addAll(client.network().v1().networkPolicies().inNamespace("mpc").list().getItems());
        List<HasMetadata> zeta = owned.stream().filter(o -> o.getMetadata().getName().startsWith("zeta-")).toList();
        assertThat(zeta).extracting(o -> o.getKind()).contains("Deployment", "StatefulSet", "Service", "ConfigMap", "ServiceAccount",
                "PodDisruptionBudget", "NetworkPolicy");
        assertThat(zeta).allSatisfy(o -> assertThat(o.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getUid()).isEqualTo(uid);
            assertThat(r.getController()).isTrue();
        }));
        assertThat(client.v1().events().inNamespace("mpc").list().getItems()).noneMatch(e -> "zeta".equals(e.getInvolvedObject().getName())
                && "Warning".equals(e.getType()) && !"KeysMissing".equals(e.getReason()));
    }

    @Test
    void anInvalidSpecBuildsNothingAndSaysWhy() throws Exception {
        create("beta", 3, 4);
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            MpcCluster c = get("beta");
            assertThat(condition(c, "SpecValid")).isEqualTo("False");
            assertThat(c.getStatus().conditions).anySatisfy(x -> assertThat(x.getMessage()).contains("threshold must be between 1 and parties.count"));
            assertThat(c.getStatus().phase).isEqualTo("Pending");
            assertThat(events("beta")).contains("Warning/InvalidSpec");
        });
        assertThat(client.apps().deployments().inNamespace("mpc").list().getItems()).noneMatch(d -> d.getMetadata().getName().startsWith("beta-"));
        assertThat(client.apps().statefulSets().inNamespace("mpc").list().getItems()).noneMatch(d -> d.getMetadata().getName().startsWith("beta-"));
    }

    @Test
    void changingThePartyCountOfARunningClusterIsRefused() throws Exception {
        create("gamma", 3, 2);
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(client.apps().statefulSets().inNamespace("mpc").list().getItems()).filteredOn(s -> s.getMetadata().getName().startsWith("gamma-")).hasSize(3));
        // a patch, not an update: the operator writes the status concurrently
        edit("gamma", c -> {
            c.getSpec().parties.count = 5;
            return c;
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            MpcCluster after = get("gamma");
            assertThat(condition(after, "SpecValid")).isEqualTo("False");
            assertThat(after.getStatus().conditions).anySatisfy(x -> assertThat(x.getMessage()).contains("cannot change from 3 to 5"));
            assertThat(after.getStatus().phase).isEqualTo("Degraded");
            assertThat(events("gamma")).contains("Warning/PartyCountChangeRefused");
        });
        assertThat(client.apps().statefulSets().inNamespace("mpc").list().getItems()).filteredOn(s -> s.getMetadata().getName().startsWith("gamma-")).hasSize(3);
    }

    @Test
    void aServiceMonitorIsCreatedOnlyWhereItsCrdExists() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        c.getMetadata().setName("delta");
        c.getMetadata().setUid(null);
        c.getSpec().serviceMonitor = true;
        client.resource(c).create();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            MpcCluster after = get("delta");
            assertThat(condition(after, "Monitoring")).isEqualTo("False");
            assertThat(after.getStatus().conditions).anySatisfy(x -> assertThat(x.getMessage()).contains("servicemonitors.monitoring.coreos.com is not installed"));
            assertThat(events("delta")).contains("Warning/ServiceMonitorUnavailable");
            // the rest of the cluster is built regardless
            assertThat(client.apps().deployments().inNamespace("mpc").withName("delta-router").get()).isNotNull();
        });
        client.apiextensions().v1().customResourceDefinitions().resource(new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("servicemonitors.monitoring.coreos.com").endMetadata()
                .withNewSpec().withGroup("monitoring.coreos.com").withScope("Namespaced")
                .withNewNames().withKind("ServiceMonitor").withPlural("servicemonitors").withSingular("servicemonitor").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion().endSpec().build()).create();
        // a spec change (replicas are free to change) makes the operator look again
        edit("delta", x -> {
            x.getSpec().router.replicas = 3;
            return x;
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(condition(get("delta"), "Monitoring")).isEqualTo("True");
            assertThat(client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor").inNamespace("mpc").withName("delta").get()).isNotNull();
            assertThat(client.apps().deployments().inNamespace("mpc").withName("delta-router").get().getSpec().getReplicas()).isEqualTo(3);
        });
        // turned off: the ServiceMonitor is pruned, and the condition goes
        edit("delta", x -> {
            x.getSpec().serviceMonitor = false;
            return x;
        });
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(client.genericKubernetesResources("monitoring.coreos.com/v1", "ServiceMonitor").inNamespace("mpc").withName("delta").get()).isNull();
            assertThat(condition(get("delta"), "Monitoring")).isNull();
        });
    }

    private static java.net.http.HttpResponse<String> http(String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + endpoints.port() + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theOperatorServesHealthAndReconcileMetrics() throws Exception {
        create("epsilon", 2, 2);
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(http("/health/live").statusCode()).isEqualTo(200);
            assertThat(http("/health/ready").statusCode()).isEqualTo(200);
            var metrics = http("/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("operator_sdk_reconciliations_success").contains("mpcclusterreconciler");
        });
        assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + endpoints.port() + "/metrics")).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
    }
}
