package io.mpcsystem.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcsystem.cli.AccountClient;
import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.Signature;
import java.math.BigInteger;
import java.nio.file.Path;
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
class LocalClusterTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RND = new SecureRandom();
    private static final String API_KEY = "mpc_e2e_" + "0123456789abcdef".repeat(3);
    private static LocalCluster cluster;
    private static AccountClient client;

    static PortPlan freePorts() throws Exception {
        return new PortPlan(LocalInfrastructureTest.freePort(), LocalInfrastructureTest.freePort(), LocalInfrastructureTest.freePort(),
                LocalInfrastructureTest.freePort(), LocalInfrastructureTest.freePort(), LocalInfrastructureTest.freePort(),
                LocalInfrastructureTest.freePort(), LocalInfrastructureTest.freePort(),
                List.of(LocalInfrastructureTest.freePort(), LocalInfrastructureTest.freePort(), LocalInfrastructureTest.freePort()));
    }

    static Path home() {
        // the tests run in workloads/cli; the services are built next to it
        return Path.of("").toAbsolutePath().getParent().getParent();
    }

    @BeforeAll
    static void up() throws Exception {
        Path data = Path.of("target", "e2e-" + System.nanoTime()).toAbsolutePath();
        cluster = LocalCluster.start(home(), data, freePorts(), API_KEY, Map.of(), Duration.ofSeconds(120));
        client = new AccountClient(cluster.accountUrl(), API_KEY);
    }

    @AfterAll
    static void down() {
        if (cluster != null) cluster.close();
    }

    @Test
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
    void ed25519AccountThroughTheRealSystem() {
        JsonNode account = client.createAccount("ed25519");
        byte[] pk = HEX.parseHex(account.get("publicKey").asText());
        byte[] msg = "hello through the router".getBytes();
        JsonNode sig = client.signMessage(account.get("id").asText(), HEX.formatHex(msg));
        assertThat(Schemes.byId("frost-ed25519").verify(pk, msg, new Signature(HEX.parseHex(sig.get("signature").asText()), OptionalInt.empty()))).isTrue();
    }
}
