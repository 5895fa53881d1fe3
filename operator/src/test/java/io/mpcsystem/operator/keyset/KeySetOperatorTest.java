package io.mpcsystem.operator.keyset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.mpcsystem.operator.DesiredStateTestAccess;
import io.mpcsystem.operator.crd.KeySet;
import io.mpcsystem.operator.crd.KeySetSpec;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.desired.DesiredParties;
import io.mpcsystem.operator.reconciler.MpcClusterReconciler;
import io.mpcsystem.operator.reconciler.ResourceApplier;
import io.mpcsystem.operator.refresh.CoordinatorClient;
import io.mpcsystem.operator.refresh.CoordinatorHttpServer;
import io.mpcsystem.operator.refresh.InMemoryCoordinator;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both controllers running against fabric8's mock API server, with a simulated kubelet playing the
 * parties: keys are created, rotated one party at a time, a failing party stops the rotation
 * with both keys in place, a rollback brings everyone back, and Vault is spoken to through the
 * real vault-java-driver.
 */
@EnableKubernetesMockClient(crud = true)
class KeySetOperatorTest {
    static KubernetesClient client;
    private static Operator operator;
    private static SimulatedKubelet kubelet;
    private static FakeVault vault;
    /** The coordinator each cluster's share refresh talks to; a cluster without one has an unreachable coordinator. */
    private static final Map<String, CoordinatorHttpServer> coordinators = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        io.micrometer.core.instrument.Metrics.addRegistry(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        kubelet = new SimulatedKubelet(client);
        vault = new FakeVault("secret", "kubernetes", "mpc-operator", "jwt-not-used");
        operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
                .withUseSSAToPatchPrimaryResource(false).withSSABasedCreateUpdateMatchForDependentResources(false));
        operator.register(new MpcClusterReconciler(ResourceApplier.createOrUpdate(), Clock.systemUTC()));
        // loopback Vault over http: only a test's policy allows that
        operator.register(new KeySetReconciler(ResourceApplier.createOrUpdate(), Clock.systemUTC(),
                KeyBackends.with(new VaultPolicy(java.util.Set.of(VaultPolicy.origin(vault.address(), true)), true, java.nio.file.Path.of("/nonexistent"))),
                new PartyObserver(kubelet::statusUri), new SecureRandom(), (k, c) -> {
                    CoordinatorHttpServer server = coordinators.get(c.getMetadata().getName());
                    URI uri = server == null ? URI.create("http://127.0.0.1:1") : server.uri();
                    return new CoordinatorClient(uri, HttpClient::newHttpClient);
                }));
        operator.start();
    }

    @AfterAll
    static void stop() {
        operator.stop();
        kubelet.close();
        vault.close();
        coordinators.values().forEach(CoordinatorHttpServer::close);
    }

    private static void createCluster(String name, KeySetSpec.Vault v, String partyTimeout) throws Exception {
        MpcCluster c = DesiredStateTestAccess.sample();
        c.getMetadata().setName(name);
        c.getMetadata().setUid(null);
        c.getSpec().keySetRef = name + "-keys";
        client.resource(c).create();
        KeySet ks = new KeySet();
        ks.getMetadata().setName(name + "-keys");
        ks.getMetadata().setNamespace("mpc");
        ks.setSpec(new KeySetSpec());
        ks.getSpec().vault = v;
        ks.getSpec().rotation.partyTimeout = partyTimeout;
        client.resource(ks).create();
    }

    private static KeySet keySet(String name) {
        return client.resources(KeySet.class).inNamespace("mpc").withName(name + "-keys").get();
    }

    private static void annotate(String name, String key, String value) {
        for (int attempt = 0; ; attempt++) {
            try {
                client.resources(KeySet.class).inNamespace("mpc").withName(name + "-keys").edit(k -> {
                    if (k.getMetadata().getAnnotations() == null) k.getMetadata().setAnnotations(new java.util.HashMap<>());
                    k.getMetadata().getAnnotations().put(key, value);
                    return k;
                });
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                // a race with the operator's status write
                if (e.getCode() != 409 || attempt >= 20) throw e;
            }
        }
    }

    private static Map<String, String> secret(String name, int party) {
        Secret s = client.secrets().inNamespace("mpc").withName(name + "-party-" + party + "-kek").get();
        if (s == null) return Map.of();
        Map<String, String> out = new java.util.TreeMap<>();
        s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    private static String condition(KeySet ks, String type) {
        return ks.getStatus() == null ? null : ks.getStatus().conditions.stream().filter(c -> c.getType().equals(type)).map(c -> c.getStatus()).findFirst().orElse(null);
    }

    private static List<String> events(String name) {
        return client.v1().events().inNamespace("mpc").list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && (name + "-keys").equals(e.getInvolvedObject().getName()))
                .map(e -> e.getType() + "/" + e.getReason()).toList();
    }

    private static void awaitVersionOneEverywhere(String name) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            KeySet ks = keySet(name);
            assertThat(ks.getStatus().currentVersion).isEqualTo(1);
            assertThat(condition(ks, "Ready")).isEqualTo("True");
            for (int i = 1; i <= 3; i++) {
                assertThat(client.apps().statefulSets().inNamespace("mpc").withName(name + "-party-" + i).get().getSpec().getTemplate().getMetadata()
                        .getAnnotations()).containsEntry(DesiredParties.KEK_HASH_ANNOTATION, KeyVersionHash.of(name + "-keys", 1));
                assertThat(kubelet.pod(name + "-party-" + i).ready()).isTrue();
                assertThat(kubelet.pod(name + "-party-" + i).template()).as("the pod runs the released template").contains(KeyVersionHash.of(name + "-keys", 1));
                assertThat(kubelet.pod(name + "-party-" + i).sharesVersion()).isEqualTo(1);
            }
        });
    }

    @Test
    void keysAreCreatedPerPartyAndARotationRollsOnePartyAtATime() throws Exception {
        createCluster("r1", null, "2m");
        awaitVersionOneEverywhere("r1");
        KeySet ks = keySet("r1");
        assertThat(ks.getStatus().backend).contains("development");
        TreeSet<String> keys = new TreeSet<>();
        for (int i = 1; i <= 3; i++) {
            Map<String, String> s = secret("r1", i);
            assertThat(s).containsEntry("current-version", "1").doesNotContainKey("previous");
            assertThat(s.get("current")).matches("[0-9a-f]{64}");
            keys.add(s.get("current"));
            assertThat(client.apps().statefulSets().inNamespace("mpc").withName("r1-party-" + i).get().getSpec().getTemplate().getMetadata()
                    .getAnnotations()).containsEntry(DesiredParties.KEK_HASH_ANNOTATION, KeyVersionHash.of("r1-keys", 1));
        }
        assertThat(keys).as("one key per party, never shared").hasSize(3);
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> assertThat(
                client.resources(MpcCluster.class).inNamespace("mpc").withName("r1").get().getStatus().conditions)
                .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("KeysReady=True")));
        assertThat(ks.getStatus().conditions).allSatisfy(c -> assertThat(c.getMessage()).doesNotContain(keys.first()));

        int before = kubelet.restarts().size();
        annotate("r1", KeySet.ROTATE_ANNOTATION, "2026-12-02T10:00:00Z");
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            KeySet now = keySet("r1");
            assertThat(now.getStatus().currentVersion).isEqualTo(2);
            assertThat(now.getStatus().lastRotationResult).startsWith("Succeeded");
            assertThat(now.getStatus().rotation.phase).isEqualTo("Idle");
            assertThat(events("r1")).contains("Normal/RotationStarted", "Normal/Rotated");
        });
        List<String> rolled = kubelet.restarts().subList(before, kubelet.restarts().size()).stream().filter(r -> r.startsWith("r1-")).toList();
        assertThat(rolled).as("one party at a time, in order").containsExactly("r1-party-1", "r1-party-2", "r1-party-3");
        for (int i = 1; i <= 3; i++) {
            Map<String, String> s = secret("r1", i);
            assertThat(s).containsEntry("current-version", "2").doesNotContainKeys("previous", "previous-version");
            assertThat(keys).doesNotContain(s.get("current"));
            assertThat(kubelet.pod("r1-party-" + i).sharesVersion()).isEqualTo(2);
        }
        Map<String, String> store = client.secrets().inNamespace("mpc").withName("r1-keys-keystore").get().getData();
        assertThat(store).containsKeys("party-1-v1", "party-1-v2", "party-1-v1.retired-at").doesNotContainKey("party-1-v2.retired-at");
    }

    @Test
    void aPartyThatDoesNotComeBackStopsTheRotationWithBothKeysAndARollbackRestoresTheOldKey() throws Exception {
        // long enough for a busy machine to roll a healthy party, short enough to fail the broken one quickly
        createCluster("r2", null, "10s");
        awaitVersionOneEverywhere("r2");
        kubelet.breakParty("r2-party-2");
        annotate("r2", KeySet.ROTATE_ANNOTATION, "first");
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            KeySet ks = keySet("r2");
            assertThat(ks.getStatus().rotation.phase).isEqualTo("Failed");
            assertThat(condition(ks, "Degraded")).isEqualTo("True");
            assertThat(ks.getStatus().rotation.message).contains("party 2");
            assertThat(events("r2")).contains("Warning/RotationFailed");
            // what the chart's MpcKeyRotationFailed alert watches
            assertThat(io.micrometer.core.instrument.Metrics.globalRegistry.find(KeySetMetrics.ROTATION_FAILED).tag("keyset", "r2-keys").gauge().value())
                    .isEqualTo(1.0);
        });
        // nothing is lost: every party still has a key that opens its shares
        for (int i = 1; i <= 3; i++) assertThat(secret("r2", i)).containsEntry("current-version", "2").containsEntry("previous-version", "1");
        assertThat(kubelet.pod("r2-party-1").sharesVersion()).isEqualTo(2);
        assertThat(kubelet.pod("r2-party-3").sharesVersion()).as("party 3 was never released").isEqualTo(1);
        assertThat(kubelet.restarts()).doesNotContain("r2-party-3-after");

        kubelet.fixParty("r2-party-2");
        annotate("r2", KeySet.ROLLBACK_ANNOTATION, "please");
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            KeySet ks = keySet("r2");
            assertThat(ks.getStatus().currentVersion).isEqualTo(1);
            assertThat(ks.getStatus().lastRotationResult).startsWith("RolledBack");
            assertThat(condition(ks, "Degraded")).isEqualTo("False");
            for (int i = 1; i <= 3; i++) {
                assertThat(secret("r2", i)).containsEntry("current-version", "1").doesNotContainKey("previous");
                assertThat(kubelet.pod("r2-party-" + i).sharesVersion()).isEqualTo(1);
            }
        });
        assertThat(io.micrometer.core.instrument.Metrics.globalRegistry.find(KeySetMetrics.ROTATION_FAILED).tag("keyset", "r2-keys").gauge().value())
                .isEqualTo(0.0);
        // party 2's pod never became ready: like a real StatefulSet controller the simulation left it in place
        // on the rollback's template change (kubernetes#67250), and the operator deleted it
        assertThat(kubelet.stuckDeleted()).contains("r2-party-2");
        assertThat(kubelet.pod("r2-party-2").ready()).isTrue();
    }

    @Test
    void aKeySetRecreatedWithoutStatusAdoptsTheKeysAndADeletedSecretIsRewritten() throws Exception {
        createCluster("r5", null, "2m");
        awaitVersionOneEverywhere("r5");
        Map<Integer, Map<String, String>> before = new java.util.HashMap<>();
        for (int i = 1; i <= 3; i++) before.put(i, secret("r5", i));
        // GitOps or a restore: the KeySet comes back without its status
        client.resources(KeySet.class).inNamespace("mpc").withName("r5-keys").delete();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> keySet("r5") == null);
        KeySet again = new KeySet();
        again.getMetadata().setName("r5-keys");
        again.getMetadata().setNamespace("mpc");
        again.setSpec(new KeySetSpec());
        client.resource(again).create();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            KeySet ks = keySet("r5");
            assertThat(ks.getStatus().currentVersion).isEqualTo(1);
            assertThat(ks.getStatus().lastRotationResult).startsWith("Adopted: version 1");
            assertThat(events("r5")).contains("Normal/KeysAdopted");
        });
        for (int i = 1; i <= 3; i++) assertThat(secret("r5", i)).as("party %d keeps its key", i).isEqualTo(before.get(i));
        // a KEK Secret deleted by hand is rewritten from the backend, with the same key
        client.secrets().inNamespace("mpc").withName("r5-party-2-kek").delete();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(secret("r5", 2)).isEqualTo(before.get(2));
            assertThat(events("r5")).contains("Warning/KekSecretRestored");
        });
    }

    @Test
    void aVaultAddressOffTheOperatorsAllowListGetsNoCredentials() throws Exception {
        KeySetSpec.Vault v = new KeySetSpec.Vault();
        v.address = "https://attacker.example:8200";
        v.kubernetesAuth = new KeySetSpec.KubernetesAuth();
        v.kubernetesAuth.role = "mpc-operator";
        createCluster("r6", v, "2m");
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            KeySet ks = keySet("r6");
            assertThat(condition(ks, "Ready")).isEqualTo("False");
            assertThat(ks.getStatus().conditions).anySatisfy(c -> assertThat(c.getMessage()).contains("not in the operator's allow-list"));
        });
        assertThat(secret("r6", 1)).as("no keys made").isEmpty();
    }

    @Test
    void vaultHoldsTheKeysAndTheSecretsCarryThem() throws Exception {
        client.resource(new SecretBuilder().withNewMetadata().withName("vault-token").withNamespace("mpc").endMetadata()
                .addToStringData("token", vault.issueToken()).build()).create();
        // the mock server keeps stringData as given; a real API server folds it into data
        Secret token = client.secrets().inNamespace("mpc").withName("vault-token").get();
        if (token.getData() == null || token.getData().isEmpty()) {
            token.setData(Map.of("token", Base64.getEncoder().encodeToString(token.getStringData().get("token").getBytes(StandardCharsets.UTF_8))));
            token.setStringData(null);
            client.secrets().inNamespace("mpc").resource(token).update();
        }
        KeySetSpec.Vault v = new KeySetSpec.Vault();
        v.address = vault.address();
        v.tokenSecret = "vault-token";
        createCluster("r3", v, "2m");
        awaitVersionOneEverywhere("r3");
        KeySet ks = keySet("r3");
        assertThat(ks.getStatus().backend).startsWith("vault " + vault.address());
        for (int i = 1; i <= 3; i++) {
            List<FakeVault.Version> stored = vault.versions("mpc-system/mpc/r3-keys/party-" + i + "/v1");
            assertThat(stored).isNotEmpty();
            assertThat(secret("r3", i).get("current")).isEqualTo(stored.get(stored.size() - 1).data().get("key"));
        }
        assertThat(client.secrets().inNamespace("mpc").withName("r3-keys-keystore").get()).as("no key in a Kubernetes Secret store when Vault is used").isNull();
    }

    @Test
    void aShareRefreshWalksEveryKeyThroughTheCoordinatorStopsOnAFailureAndResumes() throws Exception {
        CoordinatorHttpServer coordinator = new CoordinatorHttpServer(new InMemoryCoordinator("key-1", "key-2", "key-3", "key-4"), 2);
        coordinators.put("r4", coordinator);
        coordinator.failing.add("key-3");
        createCluster("r4", null, "2m");
        awaitVersionOneEverywhere("r4");

        annotate("r4", KeySet.REFRESH_ANNOTATION, "first");
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            KeySet ks = keySet("r4");
            assertThat(ks.getStatus().refresh.phase).isEqualTo("Failed");
            assertThat(ks.getStatus().refresh.message).contains("key-3", "party-3");
            assertThat(condition(ks, "Degraded")).isEqualTo("True");
            assertThat(condition(ks, "Ready")).as("a failed refresh leaves every share usable").isEqualTo("True");
            assertThat(events("r4")).contains("Normal/RefreshStarted", "Warning/RefreshFailed");
        });
        assertThat(coordinator.state.generations).containsOnlyKeys("key-1", "key-2");

        coordinator.failing.clear();
        annotate("r4", KeySet.REFRESH_ANNOTATION, "second");
        Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            KeySet ks = keySet("r4");
            assertThat(ks.getStatus().refresh.phase).isEqualTo("Idle");
            assertThat(ks.getStatus().lastRefreshResult).startsWith("Succeeded");
            assertThat(ks.getStatus().refresh.keysRefreshed).isEqualTo(4);
            assertThat(condition(ks, "Degraded")).isEqualTo("False");
            assertThat(condition(ks, "Refreshing")).isEqualTo("False");
            assertThat(events("r4")).contains("Normal/RefreshRetried", "Normal/SharesRefreshed");
        });
        assertThat(coordinator.state.started).containsExactly("key-1", "key-2", "key-3", "key-3", "key-4");
        assertThat(coordinator.state.generations).containsOnlyKeys("key-1", "key-2", "key-3", "key-4").allSatisfy((k, g) -> assertThat(g).isEqualTo(1));
        assertThat(keySet("r4").getStatus().currentVersion).as("a refresh does not touch the key-encryption keys").isEqualTo(1);
    }
}
