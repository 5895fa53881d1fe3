package io.mpcsystem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcsystem.cli.up.LocalCluster;
import io.mpcsystem.cli.up.PortPlan;
import io.mpcsystem.cli.up.ServiceProcess;
import io.mpcsystem.operator.crd.KeySetStatus;
import io.mpcsystem.operator.refresh.CoordinatorClient;
import io.mpcsystem.operator.refresh.RefreshPlan;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's share refresh ({@link RefreshPlan} speaking to the coordinator through {@link
 * CoordinatorClient}, exactly as the KeySet controller drives them) against the real system on
 * loopback: PostgreSQL, Redis, the coordinator, the router and three parties as separate
 * processes. Every share on every party changes, no staged share is left behind, the public keys
 * stay and still sign; a party that does not answer fails the refresh with the coordinator's
 * reason and leaves every share as it was, and a new request finishes the job.
 */
class ShareRefreshSystemTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalCluster cluster;
    private static URI coordinator;

    @BeforeAll
    static void up() {
        Path home = Path.of("").toAbsolutePath().getParent(); // the tests run in e2e/
        Path data = Path.of("target", "refresh-" + System.nanoTime()).toAbsolutePath();
        cluster = LocalCluster.start(home, data, PortPlan.free(), "mpc_e2e_" + "0123456789abcdef".repeat(3),
                Map.of("MPC_SESSION_TIMEOUT", "15s"), Duration.ofSeconds(120));
        coordinator = URI.create("http://127.0.0.1:" + cluster.ports().coordinatorHttp());
    }

    @AfterAll
    static void down() {
        if (cluster != null) cluster.close();
    }

    private static JsonNode session(String body) throws Exception {
        // KEYGEN and SIGN as the account service would ask: its token and its signed authorization
        return CoordinatorSessions.run(coordinator, cluster.secrets().accountToken(), body, Duration.ofSeconds(60));
    }

    /** Each party's share files of every key, by file name, as digests (the files are sealed; only change matters). */
    private static Map<String, String> shareFiles() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 1; i <= LocalCluster.PARTIES; i++) {
            Path dir = cluster.dataDir().resolve("server-party-" + i).resolve("keyshares");
            try (Stream<Path> files = Files.list(dir)) {
                // the party's identity key lives in the same store and is not a key share
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("key-")).sorted().toList()) {
                    out.put("party-" + i + "/" + f.getFileName(), HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
                }
            }
        }
        return out;
    }

    /** Runs the refresh the way the controller does, one step per reconcile, until it is no longer running. */
    private static KeySetStatus refresh(KeySetStatus status, String request, Duration keyTimeout) {
        CoordinatorClient client = new CoordinatorClient(coordinator, () -> HTTP, () -> Optional.of(cluster.secrets().operatorToken()));
        KeySetStatus[] s = {status};
        Awaitility.await().atMost(Duration.ofSeconds(180)).pollInterval(RefreshPlan.POLL.dividedBy(4)).until(() -> {
            s[0] = RefreshPlan.plan(s[0], new RefreshPlan.Inputs(Instant.now(), Instant.now(), Optional.empty(), keyTimeout, request, true, client)).next();
            return !RefreshPlan.running(s[0]) && request.equals(s[0].handledRefreshRequest);
        });
        return s[0];
    }

    private static boolean signs(String keyId, byte[] publicKey) throws Exception {
        byte[] hash = new byte[32];
        new SecureRandom().nextBytes(hash);
        JsonNode sign = session(cluster.authorizedBody("sign", "dkls23", 0, 0, keyId, hash));
        return sign.get("status").asText().equals("COMPLETED") && CoordinatorSessions.ecdsaVerifies(publicKey, hash, sign);
    }

    @Test
    void theOperatorsRefreshRenewsEveryShareOfEveryKeyAndTheKeysStillSign() throws Exception {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (int k = 0; k < 2; k++) {
            JsonNode keygen = session(cluster.authorizedBody("keygen", "dkls23", 2, 3, null, null));
            assertThat(keygen.get("status").asText()).as("%s", keygen).isEqualTo("COMPLETED");
            keys.put(keygen.get("keyId").asText(), HEX.parseHex(keygen.get("publicKey").asText()));
        }
        Map<String, String> before = shareFiles();
        assertThat(before).hasSize(2 * LocalCluster.PARTIES);

        // a party that does not answer: its key's session times out at the coordinator, the pass stops there
        ServiceProcess party3 = cluster.service("server-party-3");
        party3.pause();
        KeySetStatus failed;
        try {
            failed = refresh(new KeySetStatus(), "first", Duration.ofSeconds(30));
        } finally {
            party3.resume();
        }
        assertThat(failed.refresh.phase).isEqualTo(RefreshPlan.FAILED);
        assertThat(failed.refresh.message).containsAnyOf(keys.keySet().toArray(String[]::new)).contains("server-party-3");
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(shareFiles())
                .as("the parties discarded what they staged: every share is as it was").isEqualTo(before));

        KeySetStatus done = refresh(failed, "second", Duration.ofSeconds(60));
        assertThat(done.refresh.phase).as(done.refresh.message).isEqualTo(RefreshPlan.IDLE);
        assertThat(done.refresh.keysRefreshed).isEqualTo(2);
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, String> after = shareFiles();
            assertThat(after.keySet()).as("no staged or old share left").isEqualTo(before.keySet());
            after.forEach((file, digest) -> assertThat(digest).as("%s is a new share", file).isNotEqualTo(before.get(file)));
        });
        for (Map.Entry<String, byte[]> key : keys.entrySet()) {
            assertThat(signs(key.getKey(), key.getValue())).as("key %s signs with its refreshed shares", key.getKey()).isTrue();
        }
    }
}
