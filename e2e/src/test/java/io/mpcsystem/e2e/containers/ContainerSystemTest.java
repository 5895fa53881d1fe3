package io.mpcsystem.e2e.containers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcsystem.cli.AccountClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The images as built (Jib tarballs under each module's target/), run in containers by a real
 * engine: a key made and used through the account service's REST API from the host, each
 * signature verified with BouncyCastle; a party killed mid-run and replaced by a new container
 * on its volume; then a clean stop. Run after docker/build-images.sh and docker/infra-image.sh
 * (`.ci/run` does); skipped, saying why, where no Docker daemon can run.
 */
@Tag("containers")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerSystemTest {
    private static final Duration READY = Duration.ofMinutes(3);
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RND = new SecureRandom();
    private static ContainerSystem system;
    private static AccountClient client;
    private static String accountId;
    private static byte[] publicKey;

    @RegisterExtension
    static final TestWatcher LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (system != null) System.out.println("container logs after the failure of " + context.getDisplayName() + ":\n" + system.logTails());
        }
    };

    @BeforeAll
    static void start() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Map<String, Path> tarballs = new LinkedHashMap<>();
        for (String m : new String[] {"session-coordinator", "message-router", "server-party", "account-service"}) {
            tarballs.put(m, root.resolve("workloads").resolve(m).resolve("target/jib-image.tar"));
        }
        tarballs.put("infra", root.resolve("target/infra-image.tar"));
        tarballs.forEach((m, t) -> require(Files.isRegularFile(t),
                "the image " + t + " is not built: run docker/build-images.sh and docker/infra-image.sh target/infra-image.tar first"));
        Docker.Result connected = Docker.connect(Path.of("target", "containers"));
        require(connected.docker().isPresent(), "Docker is not available: " + connected.whyNot());
        Docker docker = connected.docker().get();
        Map<String, String> images = new LinkedHashMap<>();
        tarballs.forEach((m, t) -> images.put(m, docker.load(t, Path.of("target", "containers", "images"))));
        system = new ContainerSystem(docker, images, Path.of("target", "containers").toAbsolutePath());
        Runtime.getRuntime().addShutdownHook(new Thread(system::close));
        system.start(READY);
        client = new AccountClient(system.accountUrl(), system.apiKey(), system.tls().sslContext());
    }

    /** Skips where the machine cannot run containers; with MPC_CONTAINERS_REQUIRED set (CI), fails instead. */
    private static void require(boolean condition, String why) {
        if (System.getenv("MPC_CONTAINERS_REQUIRED") != null) assertThat(condition).as(why).isTrue();
        else Assumptions.assumeTrue(condition, why);
    }

    @AfterAll
    static void stop() {
        if (system != null) system.close();
    }

    private static void signAndVerify() {
        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        JsonNode sig = client.signHash(accountId, HEX.formatHex(hash));
        io.mpcsystem.e2e.ExternalEcdsa.assertVerifies(publicKey, hash, sig);
    }

    @Test
    @Order(1)
    void aKeyIsMadeAndSignsThroughTheAccountServicesRestApi() {
        JsonNode account = client.createAccount("secp256k1");
        accountId = account.get("id").asText();
        publicKey = HEX.parseHex(account.get("publicKey").asText());
        signAndVerify();
    }

    @Test
    @Order(2)
    void aPartyKilledMidRunIsReplacedAndItsSharesSurviveInItsVolume() {
        Assumptions.assumeTrue(accountId != null, "no account: the first test failed");
        system.kill(ContainerSystem.party(2));
        system.awaitOffline(ContainerSystem.party(2), Duration.ofSeconds(60));
        // two of three sign while party 2 is down
        signAndVerify();
        system.replace(ContainerSystem.party(2));
        system.awaitReady(ContainerSystem.party(2), READY);
        // party 2's new container has only its volume: with party 1 down, it must take part
        system.kill(ContainerSystem.party(1));
        system.awaitOffline(ContainerSystem.party(1), Duration.ofSeconds(60));
        signAndVerify();
        system.replace(ContainerSystem.party(1));
        system.awaitReady(ContainerSystem.party(1), READY);
        signAndVerify();
    }

    @Test
    @Order(3)
    void everyServiceStopsCleanlyOnSigterm() {
        for (String s : new String[] {"account-service", ContainerSystem.party(1), ContainerSystem.party(2), ContainerSystem.party(3), "message-router",
                "session-coordinator"}) {
            // 143 is the JVM's answer to SIGTERM once its shutdown hooks have run; 137 would mean killed after the grace period
            assertThat(system.stop(s)).as("%s's exit code after SIGTERM", s).isIn(0, 143);
        }
    }
}
