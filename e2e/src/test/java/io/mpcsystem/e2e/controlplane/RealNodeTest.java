package io.mpcsystem.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mpcsystem.cli.AccountClient;
import io.mpcsystem.cli.up.LocalTls;
import io.mpcsystem.operator.crd.KeySet;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.desired.ClusterSecrets;
import io.mpcsystem.operator.desired.Component;
import io.mpcsystem.operator.desired.PodHardening;
import io.mpcsystem.operator.desired.WorkloadTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The system as a user installs it, on a {@link RealNode}: {@code helm install} of the operator's
 * chart (the operator runs in its pod, from its image, with the chart's RBAC), then the minimal
 * sample MpcCluster with TLS on. Every pod starts from the images built here under PodSecurity
 * restricted, passes its probes, and finds the others by Service DNS names; a key is made and a
 * signature is asked for through the account service's Service from this host, and verified with
 * BouncyCastle. Tag {@code node}: needs root, containerd, runc, the CNI plugins, the programs of
 * {@code MPC_CONTROLPLANE_NODE=1 e2e/controlplane/build.sh} and the images of
 * {@code docker/build-images.sh} and {@code docker/infra-image.sh target/infra-image.tar}.
 */
@Tag("node")
@ExtendWith(ControlPlaneExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodeTest {
    /** The sample's own namespace: its database and Redis addresses (postgres.mpc-system.svc) hold as written. */
    private static final String NS = "mpc-system";
    private static final String RELEASE = "mpc-operator";
    private static final String TAG = "0.1.0-SNAPSHOT";
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The infra image's users, as Debian's packages made them (docker/infra-image.sh). */
    private static final long POSTGRES_UID = 101;
    private static final long REDIS_UID = 100;
    private static final HexFormat HEX = HexFormat.of();
    private static ControlPlane cp;
    private static RealNode node;
    private static KubernetesClient admin;
    private static final List<String> cordoned = new ArrayList<>();
    private static boolean installed;
    private static MpcCluster cluster;
    private static AccountClient client;
    private static String accountId;
    private static byte[] publicKey;

    @RegisterExtension
    static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (node != null) System.out.println("node programs after the failure of " + context.getDisplayName() + ":\n" + node.logTails());
            if (admin != null) System.out.println(podStates());
            if (node != null) System.out.println(node.podLogTails(40));
            hold();
        }
    };

    /** MPC_NODE_HOLD=<seconds>: a failed test leaves the node running that long, for a look with kubectl and ctr. */
    private static void hold() {
        String seconds = System.getenv("MPC_NODE_HOLD");
        if (seconds == null || cp == null) return;
        System.out.println("holding the node for " + seconds + " s: KUBECONFIG=" + cp.adminKubeconfig());
        try {
            Thread.sleep(Long.parseLong(seconds) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void require(boolean condition, String why) {
        if (System.getenv("MPC_NODE_REQUIRED") != null) assertThat(condition).as(why).isTrue();
        else Assumptions.assumeTrue(condition, why);
    }

    @BeforeAll
    static void start(ControlPlane controlPlane) {
        List<Path> images = new ArrayList<>();
        for (String m : List.of("session-coordinator", "message-router", "server-party", "account-service")) {
            images.add(ROOT.resolve("workloads").resolve(m).resolve("target/jib-image.tar"));
        }
        images.add(ROOT.resolve("operator/target/jib-image.tar"));
        images.add(ROOT.resolve("target/infra-image.tar"));
        for (Path i : images) require(Files.isRegularFile(i), i + " is not built: run docker/build-images.sh and docker/infra-image.sh target/infra-image.tar");
        var why = RealNode.unavailable();
        require(why.isEmpty(), "no real node here: " + why.orElse(""));
        cp = controlPlane;
        admin = cp.admin();
        node = RealNode.start(cp, images);
        // kwok's nodes would take pods that never run: new pods go to the real node only, while this class runs
        for (Node n : admin.nodes().list().getItems()) {
            if (n.getMetadata().getName().equals(node.name()) || Boolean.TRUE.equals(n.getSpec().getUnschedulable())) continue;
            schedulable(n.getMetadata().getName(), false);
            cordoned.add(n.getMetadata().getName());
        }
        Clusters.restrictedNamespace(admin, NS);
    }

    @AfterAll
    static void stop() {
        try {
            if (admin != null) {
                // the operator still runs: it releases its finalizers
                admin.resources(MpcCluster.class).inNamespace(NS).delete();
                admin.resources(KeySet.class).inNamespace(NS).delete();
                Awaitility.await().atMost(Duration.ofMinutes(1)).ignoreExceptions()
                        .until(() -> admin.resources(MpcCluster.class).inNamespace(NS).list().getItems().isEmpty());
            }
        } catch (RuntimeException e) {
            System.out.println("clean-up of the cluster: " + e);
        } finally {
            try {
                if (installed) Helm.uninstall(RELEASE).withNamespace(NS).withKubeConfig(cp.adminKubeconfig()).call();
                if (admin != null) {
                    admin.namespaces().withName(NS).delete();
                    admin.persistentVolumes().withLabel("mpc-e2e", "real-node").delete();
                    for (String n : cordoned) schedulable(n, true);
                }
            } finally {
                if (node != null) node.close();
            }
        }
    }

    @Test
    @Order(1)
    void theChartsOperatorInItsPodMakesTheSampleClusterWhosePodsStartUnderRestrictedWithTls() throws IOException {
        infrastructure();
        new Helm(ChartOperator.CHART).install().withName(RELEASE).withNamespace(NS).withKubeConfig(cp.adminKubeconfig())
                .set("image.tag", TAG).set("image.pullPolicy", "Never").set("replicaCount", 1).call();
        installed = true;
        awaitReady(Map.of("app.kubernetes.io/name", "mpc-operator"), "the operator's pod", Duration.ofMinutes(3));

        MpcCluster c = Clusters.sample("mpccluster-minimal.yaml", MpcCluster.class);
        c.getMetadata().setNamespace(NS);
        c.getSpec().image.tag = TAG;
        c.getSpec().coordinator.replicas = 1;
        c.getSpec().router.replicas = 1;
        c.getSpec().accountService.replicas = 1;
        c.getSpec().presignaturePoolSize = 4;
        c.getSpec().tls = true;
        c.getSpec().tlsSecret = c.getMetadata().getName() + "-tls";
        tlsSecret(c);
        for (int i = 1; i <= c.getSpec().parties.count; i++) partyVolume(c, i);
        KeySet keys = Clusters.sample("keyset-development.yaml", KeySet.class);
        keys.getMetadata().setNamespace(NS);
        admin.resource(keys).create();
        admin.resource(c).create();

        Awaitility.await("MpcCluster Ready").atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
            MpcCluster now = admin.resources(MpcCluster.class).inNamespace(NS).withName(c.getMetadata().getName()).get();
            assertThat(Clusters.condition(now, "Ready")).as("Ready: %s", Clusters.conditionMessage(now, "Ready")).isEqualTo("True");
        });
        cluster = admin.resources(MpcCluster.class).inNamespace(NS).withName(c.getMetadata().getName()).get();
        List<Pod> pods = admin.pods().inNamespace(NS).withLabel("app.kubernetes.io/instance", c.getMetadata().getName()).list().getItems();
        assertThat(pods).as("the cluster's pods").hasSize(3 + 3);
        for (Pod p : pods) {
            assertThat(p.getSpec().getNodeName()).as(p.getMetadata().getName()).isEqualTo(node.name());
            assertThat(Clusters.ready(p)).as("%s ready", p.getMetadata().getName()).isTrue();
            assertThat(p.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(PodHardening.UID);
            assertThat(p.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            System.out.printf("%s: ready, %d restarts%n", p.getMetadata().getName(), p.getStatus().getContainerStatuses().get(0).getRestartCount());
        }
    }

    @Test
    @Order(2)
    void aKeyIsMadeAndSignsThroughTheAccountServicesService() {
        Assumptions.assumeTrue(cluster != null, "no cluster: the first test failed");
        client = accountClient();
        JsonNode account = Awaitility.await("an account").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> client.createAccount("secp256k1"), a -> a != null && a.hasNonNull("id"));
        accountId = account.get("id").asText();
        publicKey = HEX.parseHex(account.get("publicKey").asText());
        for (int i = 0; i < 3; i++) signAndVerify();
    }

    /**
     * The rotation's checks answered by the parties themselves: the operator rolls each party onto
     * the new key-encryption key and goes on only once that party reports every share re-wrapped
     * under the new version. The key made before still signs afterwards.
     */
    @Test
    @Order(3)
    void aKeyEncryptionKeyRotationIsAnsweredByThePartiesAndTheKeyStillSigns() {
        Assumptions.assumeTrue(accountId != null, "no account: an earlier test failed");
        String keySet = cluster.getSpec().keySetRef;
        KeySet before = admin.resources(KeySet.class).inNamespace(NS).withName(keySet).get();
        int from = before.getStatus().currentVersion;
        Map<String, String> podUids = partyPodUids();
        annotate(keySet, KeySet.ROTATE_ANNOTATION, "real-node-" + System.nanoTime());
        Awaitility.await("rotation done").atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
            KeySet now = admin.resources(KeySet.class).inNamespace(NS).withName(keySet).get();
            assertThat(now.getStatus().lastRotationResult).as("phase %s", now.getStatus().rotation.phase).startsWith("Succeeded: version " + from + " to " + (from + 1));
        });
        KeySet after = admin.resources(KeySet.class).inNamespace(NS).withName(keySet).get();
        assertThat(after.getStatus().currentVersion).isEqualTo(from + 1);
        // each party pod was replaced (a new key reaches a pod only by a new pod), and each told the operator so
        Map<String, String> newUids = partyPodUids();
        newUids.forEach((name, uid) -> assertThat(uid).as("%s replaced", name).isNotEqualTo(podUids.get(name)));
        for (int i = 1; i <= cluster.getSpec().parties.count; i++) {
            String body = partyStatus(i);
            assertThat(body).as("party %d's own report", i).contains("\"currentKekVersion\":" + (from + 1)).contains("\"allUnderCurrentVersion\":true");
        }
        signAndVerify();
    }

    /** The share refresh asked of the operator: it drives the coordinator by its Service name, the parties refresh, the key still signs. */
    @Test
    @Order(4)
    void aShareRefreshThroughTheCoordinatorKeepsTheKeySigning() {
        Assumptions.assumeTrue(accountId != null, "no account: an earlier test failed");
        String keySet = cluster.getSpec().keySetRef;
        annotate(keySet, KeySet.REFRESH_ANNOTATION, "real-node-" + System.nanoTime());
        Awaitility.await("share refresh done").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
            KeySet now = admin.resources(KeySet.class).inNamespace(NS).withName(keySet).get();
            assertThat(now.getStatus().lastRefreshResult).startsWith("Succeeded");
            assertThat(now.getStatus().refresh.keysRefreshed).isEqualTo(1);
        });
        signAndVerify();
    }

    /** A party's pod deleted: the StatefulSet makes a new one on the same claim, and with another party down it must sign. */
    @Test
    @Order(5)
    void aPartyPodDeletedComesBackOnItsVolumeAndSigns() {
        Assumptions.assumeTrue(accountId != null, "no account: an earlier test failed");
        String party2 = cluster.getMetadata().getName() + "-party-2-0";
        String party1 = cluster.getMetadata().getName() + "-party-1";
        String uid = admin.pods().inNamespace(NS).withName(party2).get().getMetadata().getUid();
        admin.pods().inNamespace(NS).withName(party2).delete();
        Awaitility.await("party 2 back").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().untilAsserted(() -> {
            Pod p = admin.pods().inNamespace(NS).withName(party2).get();
            assertThat(p.getMetadata().getUid()).isNotEqualTo(uid);
            assertThat(Clusters.ready(p)).isTrue();
        });
        // party 1 away (its new pod has no node to go to: the operator keeps its StatefulSet at one
        // replica): the signature needs party 2, whose shares come from its volume only
        schedulable(node.name(), false);
        try {
            admin.pods().inNamespace(NS).withName(party1 + "-0").delete();
            Awaitility.await("party 1 down").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
                Pod p = admin.pods().inNamespace(NS).withName(party1 + "-0").get();
                return p == null || p.getSpec().getNodeName() == null;
            });
            Awaitility.await("a signature by parties 2 and 3").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(3)).ignoreExceptions()
                    .untilAsserted(RealNodeTest::signAndVerify);
        } finally {
            schedulable(node.name(), true);
        }
        Awaitility.await("party 1 back").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> Clusters.ready(admin.pods().inNamespace(NS).withName(party1 + "-0").get()));
        signAndVerify();
    }

    private static void schedulable(String nodeName, boolean schedulable) {
        admin.nodes().withName(nodeName).edit(x -> {
            x.getSpec().setUnschedulable(schedulable ? null : true);
            return x;
        });
    }

    private static void annotate(String keySet, String annotation, String value) {
        admin.resources(KeySet.class).inNamespace(NS).withName(keySet).edit(k -> {
            Map<String, String> a = new java.util.HashMap<>(k.getMetadata().getAnnotations() == null ? Map.of() : k.getMetadata().getAnnotations());
            a.put(annotation, value);
            k.getMetadata().setAnnotations(a);
            return k;
        });
    }

    private static Map<String, String> partyPodUids() {
        Map<String, String> out = new java.util.TreeMap<>();
        for (int i = 1; i <= cluster.getSpec().parties.count; i++) {
            Pod p = admin.pods().inNamespace(NS).withName(cluster.getMetadata().getName() + "-party-" + i + "-0").get();
            out.put(p.getMetadata().getName(), p.getMetadata().getUid());
        }
        return out;
    }

    /** GET /api/v1/keyshares/status of party {@code i}, from this host through its pod address (what the operator asks by DNS name). */
    private static String partyStatus(int i) {
        Pod p = admin.pods().inNamespace(NS).withName(cluster.getMetadata().getName() + "-party-" + i + "-0").get();
        String name = p.getMetadata().getName() + "." + cluster.getMetadata().getName() + "-parties." + NS + ".svc";
        try {
            var http = java.net.http.HttpClient.newBuilder().sslContext(ServiceNameTrust.sslContext(tlsFiles().ca(), name)).build();
            return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://" + p.getStatus().getPodIP() + ":8080/api/v1/keyshares/status"))
                    .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void signAndVerify() {
        byte[] hash = new byte[32];
        new SecureRandom().nextBytes(hash);
        JsonNode sig = client.signHash(accountId, HEX.formatHex(hash));
        io.mpcsystem.e2e.ExternalEcdsa.assertVerifies(publicKey, hash, sig);
    }

    private static AccountClient accountClient() {
        Service svc = admin.services().inNamespace(NS).withName(Component.ACCOUNT_SERVICE.name(cluster)).get();
        String apiKey = new String(Base64.getDecoder().decode(admin.secrets().inNamespace(NS).withName(ClusterSecrets.adminApiKey(cluster)).get()
                .getData().get(ClusterSecrets.API_KEY)), StandardCharsets.UTF_8);
        String serviceName = Component.ACCOUNT_SERVICE.name(cluster) + "." + NS + ".svc";
        // the host has no cluster DNS: it dials the Service's cluster IP (kube-proxy's rules), and checks the certificate against the Service's name
        return new AccountClient("https://" + svc.getSpec().getClusterIP() + ":8080", apiKey, ServiceNameTrust.sslContext(tlsFiles().ca(), serviceName));
    }

    /** PostgreSQL and Redis from Debian's packages, each a pod behind the Service name the sample names. */
    private static void infrastructure() {
        String password = HEX.formatHex(random(24));
        admin.resource(new SecretBuilder().withNewMetadata().withName("mpc-database").withNamespace(NS).endMetadata()
                .withStringData(Map.of("username", "mpc", "password", password)).build()).create();
        infraPod("postgres", POSTGRES_UID, new ContainerBuilder().withCommand("mpc-postgres")
                .addNewEnv().withName("POSTGRES_USER").withValue("mpc").endEnv()
                .addNewEnv().withName("POSTGRES_PASSWORD").withNewValueFrom().withNewSecretKeyRef("password", "mpc-database", false).endValueFrom().endEnv()
                .addNewEnv().withName("POSTGRES_DB").withValue("mpc_system").endEnv()
                // a directory of its own inside the emptyDir: PostgreSQL wants its data directory owned by itself, mode 0700
                .addNewEnv().withName("PGDATA").withValue("/var/lib/postgresql/data/pg").endEnv()
                .addNewVolumeMount().withName("data").withMountPath("/var/lib/postgresql/data").endVolumeMount(), 5432);
        infraPod("redis", REDIS_UID, new ContainerBuilder().withCommand("mpc-redis"), 6379);
    }

    private static void infraPod(String name, long uid, ContainerBuilder container, int port) {
        Map<String, String> labels = Map.of("app", name);
        admin.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().withNewSpec()
                .withSecurityContext(new PodSecurityContextBuilder(PodHardening.podSecurityContext()).withRunAsUser(uid).withRunAsGroup(uid).withFsGroup(uid).build())
                .addToContainers(container.withName(name).withImage("mpc-system/infra:bookworm").withImagePullPolicy("Never")
                        .withSecurityContext(new SecurityContextBuilder(PodHardening.containerSecurityContext()).withRunAsUser(uid).withRunAsGroup(uid).build())
                        .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                        .withNewReadinessProbe().withNewTcpSocket().withNewPort(port).endTcpSocket().withPeriodSeconds(2).endReadinessProbe().build())
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build()).create();
        admin.resource(new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata().withNewSpec().withSelector(labels)
                .addNewPort().withPort(port).withNewTargetPort(port).endPort().endSpec().build()).create();
        awaitReady(labels, name, Duration.ofMinutes(2));
    }

    /** A volume on the node for each party's claim, owned by the workloads' user (a hostPath volume gets no fsGroup). */
    private static void partyVolume(MpcCluster c, int party) {
        Path dir = node.hostDirectory(c.getMetadata().getName() + "-party-" + party, (int) PodHardening.UID);
        admin.resource(new PersistentVolumeBuilder().withNewMetadata().withName(c.getMetadata().getName() + "-real-node-" + party)
                .withLabels(Map.of("mpc-e2e", "real-node")).endMetadata()
                .withNewSpec().withCapacity(Map.of("storage", new Quantity("10Gi"))).withAccessModes("ReadWriteOnce")
                .withPersistentVolumeReclaimPolicy("Retain").withNewHostPath().withPath(dir.toString()).withType("Directory").endHostPath()
                .endSpec().build()).create();
    }

    private static LocalTls tlsFiles() {
        return LocalTls.ensure(cp.workDir().resolve("workload-tls"), WorkloadTls.dnsNames(cluster));
    }

    /** What cert-manager would make: a kubernetes.io/tls Secret valid for every name the cluster's clients use. */
    private static void tlsSecret(MpcCluster c) throws IOException {
        LocalTls tls = LocalTls.ensure(cp.workDir().resolve("workload-tls"), WorkloadTls.dnsNames(c));
        admin.resource(new SecretBuilder().withNewMetadata().withName(c.getSpec().tlsSecret).withNamespace(NS).endMetadata().withType("kubernetes.io/tls")
                .withStringData(Map.of("tls.crt", Files.readString(tls.cert()), "tls.key", Files.readString(tls.key()), "ca.crt", Files.readString(tls.ca())))
                .build()).create();
    }

    private static void awaitReady(Map<String, String> labels, String what, Duration timeout) {
        Awaitility.await(what + " ready").atMost(timeout).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            List<Pod> pods = admin.pods().inNamespace(NS).withLabels(labels).list().getItems();
            assertThat(pods).as(what).isNotEmpty();
            for (Pod p : pods) assertThat(Clusters.ready(p)).as("%s ready: %s", p.getMetadata().getName(), p.getStatus().getContainerStatuses()).isTrue();
        });
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** The pods' states and the namespace's events, for a failed test. */
    private static String podStates() {
        StringBuilder b = new StringBuilder();
        try {
            for (Pod p : admin.pods().inNamespace(NS).list().getItems()) {
                b.append("pod ").append(p.getMetadata().getName()).append(": ").append(p.getStatus() == null ? "" : p.getStatus().getContainerStatuses())
                        .append('\n');
            }
            admin.v1().events().inNamespace(NS).list().getItems().forEach(e -> b.append("event ").append(e.getInvolvedObject().getName()).append(' ')
                    .append(e.getReason()).append(": ").append(e.getMessage()).append('\n'));
        } catch (RuntimeException e) {
            b.append("(cannot list pods: ").append(e.getMessage()).append(")\n");
        }
        return b.toString();
    }
}
