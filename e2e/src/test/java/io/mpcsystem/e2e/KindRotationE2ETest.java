package io.mpcsystem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.dajudge.kindcontainer.KindContainer;
import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.mpcsystem.operator.crd.KeySet;
import io.mpcsystem.operator.crd.KeySetSpec;
import io.mpcsystem.operator.crd.MpcCluster;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.MountableFile;

/**
 * The whole product on a real cluster: the workload and operator images built from
 * docker/Dockerfile.jvm and docker/Dockerfile.operator, loaded into kind, the operator installed
 * by its Helm chart, PostgreSQL, Redis and a Vault dev server as pods. A key is generated and
 * signs; the KeySet's key-encryption keys (in Vault) rotate one party at a time and the key still
 * signs; the key's shares are refreshed through the coordinator and the key still signs.
 * Needs Docker (and the images' base layers from Docker Hub); skipped without it. The same flows
 * run without Docker against the mock API server (operator/) and the real system on loopback
 * ({@link ShareRefreshSystemTest}).
 */
@EnabledIf(value = "io.mpcsystem.e2e.KindOperatorE2ETest#dockerAvailable",
        disabledReason = "the kind rotation e2e suite needs Docker and Docker Hub: set MPC_E2E_KIND=1 where both are there")
class KindRotationE2ETest {
    private static final String TAG = "e2e";
    private static final String NS = "mpc";
    /** PostgreSQL, Redis and Vault (which run as root) live apart: the cluster's namespace enforces PodSecurity "restricted". */
    private static final String INFRA = "mpc-infra";
    private static final String VAULT_ADDRESS = "https://vault." + INFRA + ".svc:8200";
    private static final String VAULT_TOKEN = "e2e-root-token";
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent(); // the tests run in e2e/
    private static final HexFormat HEX = HexFormat.of();
    private static KindContainer<?> kind;
    private static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        kind = new KindContainer<>();
        kind.start();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kind.getKubeconfig())).build();
        for (String service : List.of("session-coordinator", "message-router", "server-party", "account-service")) {
            Path dir = ROOT.resolve("workloads").resolve(service);
            load(build("mpc-system/" + service + ":" + TAG, "target/quarkus-app", dir.resolve("target/quarkus-app"), ROOT.resolve("docker/Dockerfile.jvm")));
        }
        load(build("mpc-system/mpc-operator:" + TAG, "target/mpc-operator.jar", ROOT.resolve("operator/target/mpc-operator.jar"),
                ROOT.resolve("docker/Dockerfile.operator")));
        infrastructure();
        new Helm(ROOT.resolve("helm/mpc-operator")).install().withName("mpc-operator").withNamespace("mpc-operator").createNamespace()
                .withKubeConfigContents(kind.getKubeconfig()).set("image.tag", TAG).set("replicaCount", "1")
                .set("watchNamespaces[0]", NS).set("vault.allowedAddresses[0]", VAULT_ADDRESS).waitReady().withTimeout(300).call();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (kind != null) kind.stop();
    }

    private static String build(String image, String target, Path source, Path dockerfile) throws Exception {
        return new ImageFromDockerfile(image, false).withFileFromPath(target, source).withFileFromPath("Dockerfile", dockerfile).get();
    }

    /** What `kind load docker-image` does: the image into the node's containerd. */
    private static void load(String image) throws Exception {
        Path tar = Files.createTempFile("mpc-image", ".tar");
        try (InputStream in = DockerClientFactory.instance().client().saveImageCmd(image).exec()) {
            Files.copy(in, tar, StandardCopyOption.REPLACE_EXISTING);
        }
        kind.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/image.tar");
        Container.ExecResult r = kind.execInContainer("ctr", "--namespace=k8s.io", "images", "import", "/tmp/image.tar");
        assertThat(r.getExitCode()).as("importing %s: %s", image, r.getStderr()).isZero();
        Files.delete(tar);
    }

    private static void infrastructure() throws Exception {
        // every pod the operator makes must be admitted under "restricted", or it is not created at all
        client.resource(new NamespaceBuilder().withNewMetadata().withName(NS).addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .addToLabels("pod-security.kubernetes.io/enforce-version", "latest").endMetadata().build()).serverSideApply();
        client.resource(new NamespaceBuilder().withNewMetadata().withName(INFRA).endMetadata().build()).serverSideApply();
        pod("postgres", "postgres:16-alpine", 5432, Map.of("POSTGRES_USER", "mpc", "POSTGRES_PASSWORD", "e2e-password", "POSTGRES_DB", "mpc_system"), List.of());
        pod("redis", "redis:7-alpine", 6379, Map.of(), List.of());
        // a dev server over TLS (the operator talks to Vault over https only), its certificate valid for the Service name
        pod("vault", "hashicorp/vault:1.17", 8200, Map.of("VAULT_DEV_ROOT_TOKEN_ID", VAULT_TOKEN, "SKIP_SETCAP", "true"),
                List.of("server", "-dev", "-dev-tls", "-dev-tls-cert-dir=/tmp/vault-tls", "-dev-tls-san=vault." + INFRA + ".svc",
                        "-dev-listen-address=0.0.0.0:8200"));
        secret("mpc-database", Map.of("username", "mpc", "password", "e2e-password"));
        secret("vault-token", Map.of("token", VAULT_TOKEN));
        Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(3)).ignoreExceptions().untilAsserted(() -> {
            var pod = client.pods().inNamespace(INFRA).withLabel("app", "vault").list().getItems().get(0);
            var ca = client.pods().inNamespace(INFRA).withName(pod.getMetadata().getName()).redirectingOutput()
                    .exec("cat", "/tmp/vault-tls/vault-ca.pem");
            String pem = new String(ca.getOutput().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(pem).contains("BEGIN CERTIFICATE");
            secret("vault-ca", Map.of("ca.crt", pem));
        });
    }

    private static void pod(String name, String image, int port, Map<String, String> env, List<String> args) {
        Map<String, String> labels = Map.of("app", name);
        client.resource(new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(INFRA).endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withNewSpec()
                .addNewContainer().withName(name).withImage(image).withArgs(args).addNewPort().withContainerPort(port).endPort()
                .withEnv(env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList())
                .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket().endReadinessProbe()
                .endContainer().endSpec().endTemplate().endSpec().build()).serverSideApply();
        client.resource(new ServiceBuilder().withNewMetadata().withName(name).withNamespace(INFRA).endMetadata()
                .withNewSpec().withSelector(labels).addNewPort().withPort(port).withTargetPort(new IntOrString(port)).endPort().endSpec().build())
                .serverSideApply();
    }

    private static void secret(String name, Map<String, String> values) {
        Map<String, String> data = new HashMap<>();
        values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata().withData(data).build()).serverSideApply();
    }

    private static MpcCluster cluster() throws Exception {
        MpcCluster c = Serialization.unmarshal(new ByteArrayInputStream(
                Files.readString(ROOT.resolve("operator/samples/mpccluster-minimal.yaml")).getBytes(StandardCharsets.UTF_8)), MpcCluster.class);
        c.getMetadata().setName("e2e");
        c.getMetadata().setNamespace(NS);
        c.getSpec().image.repository = "mpc-system";
        c.getSpec().image.tag = TAG;
        c.getSpec().database.host = "postgres." + INFRA + ".svc";
        c.getSpec().database.credentialsSecret = "mpc-database";
        c.getSpec().redis.host = "redis." + INFRA + ".svc";
        c.getSpec().keySetRef = "e2e-keys";
        c.getSpec().coordinator.replicas = 1;
        c.getSpec().router.replicas = 1;
        c.getSpec().accountService.replicas = 1;
        c.getSpec().parties.storage.size = "100Mi";
        // NetworkPolicies on: the pods must still become ready (DNS, PostgreSQL, Redis, peers all admitted)
        c.getSpec().networkPolicy = true;
        // kind has one node: spreading is a preference there
        c.getSpec().parties.spread.mode = "Preferred";
        return c;
    }

    private static KeySet keySet() {
        KeySet ks = new KeySet();
        ks.getMetadata().setName("e2e-keys");
        ks.getMetadata().setNamespace(NS);
        ks.setSpec(new KeySetSpec());
        ks.getSpec().vault = new KeySetSpec.Vault();
        ks.getSpec().vault.address = VAULT_ADDRESS;
        ks.getSpec().vault.tokenSecret = "vault-token";
        ks.getSpec().vault.caSecret = "vault-ca";
        ks.getSpec().rotation.partyTimeout = "5m";
        ks.getSpec().shareRefresh.keyTimeout = "5m";
        return ks;
    }

    private static KeySet currentKeySet() {
        return client.resources(KeySet.class).inNamespace(NS).withName("e2e-keys").get();
    }

    private static void annotate(String key, String value) {
        client.resources(KeySet.class).inNamespace(NS).withName("e2e-keys").edit(k -> {
            if (k.getMetadata().getAnnotations() == null) k.getMetadata().setAnnotations(new HashMap<>());
            k.getMetadata().getAnnotations().put(key, value);
            return k;
        });
    }

    /** A value of a Secret the operator generated for the cluster. */
    private static String generated(String secret, String key) {
        Secret s = client.secrets().inNamespace(NS).withName(secret).get();
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }

    /**
     * A session through the coordinator's REST API (port-forwarded), waited for until it ends, asked
     * as the account service asks: with its caller token from e2e-caller-tokens.
     */
    private static JsonNode session(String body) throws Exception {
        try (LocalPortForward pf = client.services().inNamespace(NS).withName("e2e-coordinator").portForward(8080)) {
            return CoordinatorSessions.run(URI.create("http://127.0.0.1:" + pf.getLocalPort()), generated("e2e-caller-tokens", "account"), body,
                    Duration.ofMinutes(2));
        }
    }

    /** A keygen or sign request with the authorization the parties verify, signed by the key in e2e-request-signing. */
    private static String authorized(String kind, String keyId, byte[] message) {
        var k = io.mpcsystem.proto.coordinator.v1.SessionKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
        var a = io.mpcsystem.proto.coordinator.v1.RequestAuthorization.newBuilder().setKind(k).setProtocol("dkls23")
                .setRequestId(java.util.UUID.randomUUID().toString());
        io.mpcsystem.proto.RequestAuthorizations.validFor(a, java.time.Instant.now(), java.time.Duration.ofMinutes(2));
        if (keyId != null) a.setKeyId(keyId).setMessage(com.google.protobuf.ByteString.copyFrom(message)).setAccountId("e2e");
        else a.setThreshold(2).setParties(3).setKeyId("key-" + java.util.UUID.randomUUID());
        String auth = Base64.getEncoder().encodeToString(io.mpcsystem.proto.RequestAuthorizations.sign(a.build(),
                io.mpcsystem.proto.RequestAuthorizations.Signer.fromBase64(generated("e2e-request-signing", "private-key"))).toByteArray());
        if (keyId != null) {
            return "{\"kind\":\"sign\",\"protocol\":\"dkls23\",\"keyId\":\"" + keyId + "\",\"message\":\"" + HEX.formatHex(message)
                    + "\",\"authorization\":\"" + auth + "\"}";
        }
        return "{\"kind\":\"keygen\",\"protocol\":\"dkls23\",\"threshold\":2,\"parties\":3,\"authorization\":\"" + auth + "\"}";
    }

    private static void assertSigns(String keyId, byte[] publicKey, String when) throws Exception {
        byte[] hash = new byte[32];
        new SecureRandom().nextBytes(hash);
        JsonNode sign = session(authorized("sign", keyId, hash));
        assertThat(sign.get("status").asText()).as("signing %s: %s", when, sign).isEqualTo("COMPLETED");
        assertThat(CoordinatorSessions.ecdsaVerifies(publicKey, hash, sign)).as("signature %s", when).isTrue();
    }

    private static Map<String, String> kekSecret(int party) {
        Secret s = client.secrets().inNamespace(NS).withName("e2e-party-" + party + "-kek").get();
        Map<String, String> out = new HashMap<>();
        s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void keysRotateOnePartyAtATimeAndSharesRefreshWhileTheKeyKeepsSigning() throws Exception {
        client.resource(keySet()).create();
        client.resource(cluster()).create();
        Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
            assertThat(client.resources(MpcCluster.class).inNamespace(NS).withName("e2e").get().getStatus().phase).isEqualTo("Ready");
            assertThat(currentKeySet().getStatus().currentVersion).isEqualTo(1);
            assertThat(currentKeySet().getStatus().backend).startsWith("vault");
        });
        // Ready means every replica ready: check the pods themselves, with the NetworkPolicies in place
        assertThat(client.network().v1().networkPolicies().inNamespace(NS).list().getItems()).extracting(p -> p.getMetadata().getName())
                .contains("e2e-party", "e2e-coordinator", "e2e-router", "e2e-account");
        var pods = client.pods().inNamespace(NS).withLabel("app.kubernetes.io/instance", "e2e").list().getItems();
        assertThat(pods).hasSize(6).allSatisfy(p -> assertThat(p.getStatus().getConditions())
                .anySatisfy(c -> assertThat(c.getType() + "=" + c.getStatus()).isEqualTo("Ready=True")));

        JsonNode keygen = session(authorized("keygen", null, null));
        assertThat(keygen.get("status").asText()).as("%s", keygen).isEqualTo("COMPLETED");
        String keyId = keygen.get("keyId").asText();
        byte[] publicKey = HEX.parseHex(keygen.get("publicKey").asText());
        assertSigns(keyId, publicKey, "after key generation");

        annotate(KeySet.ROTATE_ANNOTATION, "e2e-rotation");
        Awaitility.await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
            KeySet ks = currentKeySet();
            assertThat(ks.getStatus().lastRotationResult).startsWith("Succeeded");
            assertThat(ks.getStatus().currentVersion).isEqualTo(2);
        });
        for (int i = 1; i <= 3; i++) assertThat(kekSecret(i)).containsEntry("current-version", "2").doesNotContainKey("previous");
        assertSigns(keyId, publicKey, "after the key-encryption-key rotation");

        annotate(KeySet.REFRESH_ANNOTATION, "e2e-refresh");
        Awaitility.await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
            KeySet ks = currentKeySet();
            assertThat(ks.getStatus().lastRefreshResult).startsWith("Succeeded");
            assertThat(ks.getStatus().refresh.keysRefreshed).isEqualTo(1);
        });
        assertSigns(keyId, publicKey, "after the share refresh");
    }
}
