package io.mpcsystem.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcsystem.cli.AccountClient;
import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.Signature;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.awaitility.Awaitility;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole system as `mpc up` runs it: real PostgreSQL and Redis, the four services as separate
 * JVMs talking gRPC and HTTP over loopback, three parties with their own keys and share stores.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class LocalClusterTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RND = new SecureRandom();
    private static final String API_KEY = "mpc_e2e_" + "0123456789abcdef".repeat(3);
    private static LocalCluster cluster;
    @org.junit.jupiter.api.extension.RegisterExtension
    static final ServiceLogsOnFailure LOGS = new ServiceLogsOnFailure(() -> cluster);
    private static AccountClient client;

    static PortPlan freePorts() throws Exception {
        return PortPlan.free();
    }

    static Path home() {
        // the tests run in workloads/cli; the services are built next to it
        return Path.of("").toAbsolutePath().getParent().getParent();
    }

    @BeforeAll
    static void up() throws Exception {
        Path data = Path.of("target", "e2e-" + System.nanoTime()).toAbsolutePath();
        // deadlines shorter than the defaults so that the failure tests end sooner, yet long enough
        // for a session that waits out a router restart on a busy two-core machine
        cluster = LocalCluster.start(home(), data, freePorts(), API_KEY, Map.of("MPC_SESSION_TIMEOUT", "15s", "MPC_ACCOUNT_TIMEOUT", "30s"),
                Duration.ofSeconds(120));
        client = new AccountClient(cluster.accountUrl(), API_KEY);
    }

    @AfterAll
    static void down() {
        if (cluster != null) cluster.close();
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void createAccountAndSignThroughTheRealSystem() {
        JsonNode account = client.createAccount("secp256k1");
        byte[] pk = HEX.parseHex(account.get("publicKey").asText());
        assertThat(account.get("address").asText()).matches("0x[0-9a-fA-F]{40}");
        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        JsonNode sig = client.signHash(account.get("id").asText(), HEX.formatHex(hash));
        var domain = io.mpcsystem.tss.group.Secp256k1.DOMAIN;
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(domain.getCurve().decodePoint(pk), domain));
        assertThat(verifier.verifySignature(hash, new BigInteger(1, HEX.parseHex(sig.get("r").asText())),
                new BigInteger(1, HEX.parseHex(sig.get("s").asText())))).as("BouncyCastle ECDSA").isTrue();
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void ed25519AccountThroughTheRealSystem() {
        JsonNode account = client.createAccount("ed25519");
        byte[] pk = HEX.parseHex(account.get("publicKey").asText());
        byte[] msg = "hello through the router".getBytes();
        JsonNode sig = client.signMessage(account.get("id").asText(), HEX.formatHex(msg));
        assertThat(Schemes.byId("frost-ed25519").verify(pk, msg, new Signature(HEX.parseHex(sig.get("signature").asText()), OptionalInt.empty()))).isTrue();
    }

    private static boolean verifies(byte[] pk, byte[] hash, JsonNode sig) {
        return Schemes.byId("dkls23").verify(pk, hash, new Signature(HEX.parseHex(sig.get("signature").asText()), OptionalInt.of(sig.get("v").asInt() - 27)));
    }

    /** Asks Redis (RESP over a socket) whether the coordinator still sees a party online. */
    private static boolean online(String partyId) throws Exception {
        var e = cluster.infrastructure();
        try (java.net.Socket s = new java.net.Socket(e.redisHost(), e.redisPort())) {
            String key = "mpc:coordinator:presence:" + partyId;
            s.getOutputStream().write(("*2\r\n$6\r\nEXISTS\r\n$" + key.length() + "\r\n" + key + "\r\n").getBytes());
            return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream())).readLine().equals(":1");
        }
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static JsonNode coordinatorSession(String body) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        String base = cluster.ports().coordinatorHttpUrl() + "/api/v1/sessions";
        String token = body.contains("\"refresh\"") ? cluster.secrets().operatorToken() : cluster.secrets().accountToken();
        var created = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base)).header("Content-Type", "application/json")
                .header("Authorization", bearer(token))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).get("id").asText();
        JsonNode[] done = new JsonNode[1];
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/" + id)).header("Authorization", bearer(token)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            done[0] = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
            return done[0].get("status").asText().matches("COMPLETED|FAILED");
        });
        return done[0];
    }

    private static JsonNode coordinatorGet(String sessionId) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.ports().coordinatorHttpUrl() + "/api/v1/sessions/" + sessionId))
                .header("Authorization", bearer(cluster.secrets().accountToken())).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
    }

    private static List<String> partyFiles(int party, String prefix) throws Exception {
        try (var files = Files.list(cluster.dataDir().resolve("server-party-" + party).resolve("keyshares"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aKeyThatSignsGetsPresignaturesAndThenSignsInOneStep() throws Exception {
        JsonNode account = client.createAccount("secp256k1");
        String id = account.get("id").asText();
        String keyId = account.get("keyId").asText();
        byte[] pk = HEX.parseHex(account.get("publicKey").asText());
        byte[] first = new byte[32];
        RND.nextBytes(first);
        JsonNode online = client.signHash(id, HEX.formatHex(first));
        assertThat(verifies(pk, first, online)).isTrue();
        assertThat(coordinatorGet(online.get("sessionId").asText()).get("presignatureId").isNull()).as("the key's first signature runs online").isTrue();
        // the coordinator now tops the key's pool up: the parties hold sealed presignatures
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> partyFiles(1, keyId + ".presig.").size()
                + partyFiles(2, keyId + ".presig.").size() + partyFiles(3, keyId + ".presig.").size() >= 4);
        JsonNode presigned = null;
        byte[] hash = new byte[32];
        for (int i = 0; i < 20 && presigned == null; i++) {
            RND.nextBytes(hash);
            JsonNode sig = client.signHash(id, HEX.formatHex(hash));
            assertThat(verifies(pk, hash, sig)).isTrue();
            if (!coordinatorGet(sig.get("sessionId").asText()).get("presignatureId").isNull()) presigned = sig;
        }
        assertThat(presigned).as("a signature made with a presignature").isNotNull();
        var domain = io.mpcsystem.tss.group.Secp256k1.DOMAIN;
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(domain.getCurve().decodePoint(pk), domain));
        assertThat(verifier.verifySignature(hash, new BigInteger(1, HEX.parseHex(presigned.get("r").asText())),
                new BigInteger(1, HEX.parseHex(presigned.get("s").asText())))).as("BouncyCastle ECDSA").isTrue();
        // used means gone: no signer keeps the presignature it signed with
        JsonNode session = coordinatorGet(presigned.get("sessionId").asText());
        String used = keyId + ".presig." + session.get("presignatureId").asText();
        for (int i = 1; i <= 3; i++) assertThat(partyFiles(i, used)).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void aRefreshIsCommittedByEveryPartyAndTheKeyStillSigns() throws Exception {
        JsonNode keygen = coordinatorSession(cluster.authorizedBody("keygen", "dkls23", 2, 3, null, null));
        assertThat(keygen.get("status").asText()).isEqualTo("COMPLETED");
        String keyId = keygen.get("keyId").asText();
        byte[] pk = HEX.parseHex(keygen.get("publicKey").asText());
        JsonNode refresh = coordinatorSession("{\"kind\":\"refresh\",\"keyId\":\"" + keyId + "\"}");
        assertThat(refresh.get("status").asText()).as("%s", refresh).isEqualTo("COMPLETED");
        // every party promotes its staged share once it learns the outcome: nothing stays pending, no old generation stays on disk
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int i = 1; i <= 3; i++) {
                try (var files = java.nio.file.Files.list(cluster.dataDir().resolve("server-party-" + i).resolve("keyshares"))) {
                    assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith(keyId)).toList())
                            .containsExactly(keyId + ".share");
                }
            }
        });
        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        JsonNode sign = coordinatorSession(cluster.authorizedBody("sign", "dkls23", 0, 0, keyId, hash));
        assertThat(sign.get("status").asText()).as("%s", sign).isEqualTo("COMPLETED");
        byte[] sig = HEX.parseHex(sign.get("signature").asText());
        var domain = io.mpcsystem.tss.group.Secp256k1.DOMAIN;
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(domain.getCurve().decodePoint(pk), domain));
        assertThat(verifier.verifySignature(hash, new BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, 32)),
                new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64)))).as("signature with the refreshed shares").isTrue();
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void aPartyDyingMidSessionFailsThatSessionAndTheNextOneSucceeds() throws Exception {
        JsonNode account = client.createAccount("secp256k1");
        String id = account.get("id").asText();
        byte[] pk = HEX.parseHex(account.get("publicKey").asText());
        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        // party 1 hangs (still connected, so it is picked) and then dies
        ServiceProcess party1 = cluster.service("server-party-1");
        party1.pause();
        try {
            Throwable failed = org.assertj.core.api.Assertions.catchThrowable(() -> client.signHash(id, HEX.formatHex(hash)));
            assertThat(failed).isInstanceOf(AccountClient.ApiError.class).hasMessageContaining("502").hasMessageNotContaining("server-party-1");
            // the answer keeps the coordinator's reasons to itself; the session it names says who stalled
            String session = ((AccountClient.ApiError) failed).correlationId().orElseThrow();
            assertThat(coordinatorGet(session).get("failureReason").asText()).contains("server-party-1");
        } finally {
            party1.kill();
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !online("server-party-1"));
        assertThat(verifies(pk, hash, client.signHash(id, HEX.formatHex(hash)))).isTrue();
        cluster.restart("server-party-1", Duration.ofSeconds(90));
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void aRouterRestartMidSessionLosesNothing() throws Exception {
        JsonNode account = client.createAccount("secp256k1");
        byte[] pk = HEX.parseHex(account.get("publicKey").asText());
        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        cluster.service("message-router").close();
        // the router comes back two seconds into the session; parties retry publishing and resubscribe
        var restarted = java.util.concurrent.CompletableFuture.runAsync(() -> cluster.restart("message-router", Duration.ofSeconds(90)),
                java.util.concurrent.CompletableFuture.delayedExecutor(2, java.util.concurrent.TimeUnit.SECONDS));
        JsonNode sig = client.signHash(account.get("id").asText(), HEX.formatHex(hash));
        restarted.join();
        assertThat(verifies(pk, hash, sig)).isTrue();
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void aPartyGivenTheWrongMasterKeyRefusesToStartAndChangesNothing() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "wrong-key-");
        Path shares = cluster.dataDir().resolve("server-party-2").resolve("keyshares");
        Path copy = dir.resolve("keyshares");
        Files.createDirectories(copy);
        try (var files = Files.list(shares)) {
            // the live party keeps writing (presignatures): temporary files come and go, stored ones may be taken
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                try {
                    Files.copy(f, copy.resolve(f.getFileName()));
                } catch (java.nio.file.NoSuchFileException gone) {
                    // used or discarded between the listing and the copy
                }
            }
        }
        Map<String, byte[]> before = snapshot(copy);
        List<Integer> ports = PortPlan.freePorts(2);
        ServiceProcess p = ServiceProcess.start("wrong-key-party", home().resolve("workloads/server-party/target/quarkus-app/quarkus-run.jar"),
                Map.of("PARTY_ID", "server-party-2", "MPC_CRYPTO_MASTER_KEY", "ab".repeat(32), "MPC_KEYSHARE_DIR", copy.toString(),
                        "QUARKUS_HTTP_PORT", String.valueOf(ports.get(0)), "SESSION_COORDINATOR_ADDR", "localhost:1", "MESSAGE_ROUTER_ADDR", "localhost:1",
                        "MPC_PARTY_IDS", LocalCluster.partyIds(), "MPC_REQUEST_VERIFY_KEY", cluster.secrets().verifyKey(),
                        "MPC_MANAGEMENT_PORT", String.valueOf(ports.get(1))),
                ports.get(0), dir);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> !p.isAlive());
        assertThat(Files.readString(p.log())).contains("refusing to start party server-party-2").doesNotContain("\tat ");
        Map<String, byte[]> after = snapshot(copy);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((k, v) -> assertThat(after.get(k)).as(k).isEqualTo(v));
    }

    @Test
    @org.junit.jupiter.api.Order(6)
    void aCoordinatorWithoutItsDatabaseSaysSoAndIsNotReady() throws Exception {
        List<Integer> ports = PortPlan.freePorts(4);
        int http = ports.get(0);
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "no-db-");
        try (ServiceProcess c = ServiceProcess.start("coordinator-without-db", home().resolve("workloads/session-coordinator/target/quarkus-app/quarkus-run.jar"),
                Map.of("MPC_DATABASE_HOST", "localhost", "MPC_DATABASE_PORT", String.valueOf(ports.get(1)), "MPC_REDIS_HOST", "localhost",
                        "MPC_REDIS_PORT", String.valueOf(cluster.infrastructure().redisPort()), "QUARKUS_HTTP_PORT", String.valueOf(http),
                        "QUARKUS_GRPC_SERVER_PORT", String.valueOf(ports.get(2)), "MPC_MANAGEMENT_PORT", String.valueOf(ports.get(3))), http, dir)) {
            var httpClient = java.net.http.HttpClient.newHttpClient();
            var ready = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + http + "/health/ready")).build();
            Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                var r = httpClient.send(ready, java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.body()).contains("database-schema").contains("DOWN");
            });
            assertThat(c.isAlive()).isTrue();
            assertThat(Files.readString(c.log())).contains("database unavailable, retrying");
        }
    }

    @Test
    @org.junit.jupiter.api.Order(7)
    void twoCoordinatorReplicasWorkSideBySide() throws Exception {
        // a second coordinator on the same database and Redis; the parties stay connected to the first
        JsonNode account = client.createAccount("secp256k1");
        byte[] pk = HEX.parseHex(account.get("publicKey").asText());
        List<Integer> ports = PortPlan.freePorts(3);
        int http = ports.get(0);
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "replica-");
        Map<String, String> env = new java.util.HashMap<>(cluster.infrastructure().env());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(http));
        env.put("QUARKUS_GRPC_SERVER_PORT", String.valueOf(ports.get(1)));
        env.put("MPC_MANAGEMENT_PORT", String.valueOf(ports.get(2)));
        env.putAll(cluster.coordinatorCredentialsEnv());
        try (ServiceProcess replica = ServiceProcess.start("session-coordinator-2", home().resolve("workloads/session-coordinator/target/quarkus-app/quarkus-run.jar"),
                env, http, dir)) {
            replica.awaitReady(Duration.ofSeconds(90));
            byte[] hash = new byte[32];
            RND.nextBytes(hash);
            var httpClient = java.net.http.HttpClient.newHttpClient();
            String body = cluster.authorizedBody("sign", "dkls23", 0, 0, account.get("keyId").asText(), hash);
            var created = httpClient.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + http + "/api/v1/sessions"))
                    .header("Content-Type", "application/json").header("Authorization", bearer(cluster.secrets().accountToken()))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).get("id").asText();
            var get = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + http + "/api/v1/sessions/" + id))
                    .header("Authorization", bearer(cluster.secrets().accountToken())).build();
            JsonNode[] done = new JsonNode[1];
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                done[0] = new com.fasterxml.jackson.databind.ObjectMapper().readTree(httpClient.send(get, java.net.http.HttpResponse.BodyHandlers.ofString()).body());
                return !done[0].get("status").asText().equals("PENDING") && !done[0].get("status").asText().equals("RUNNING");
            });
            assertThat(done[0].get("status").asText()).as(done[0].toString()).isEqualTo("COMPLETED");
            Signature sig = new Signature(HEX.parseHex(done[0].get("signature").asText()), OptionalInt.of(done[0].get("recoveryId").asInt()));
            assertThat(Schemes.byId("dkls23").verify(pk, hash, sig)).isTrue();
        }
    }

    private static Map<String, byte[]> snapshot(Path dir) throws Exception {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) out.put(f.getFileName().toString(), Files.readAllBytes(f));
        }
        return out;
    }
}
