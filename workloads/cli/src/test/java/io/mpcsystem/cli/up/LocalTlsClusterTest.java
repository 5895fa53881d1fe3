package io.mpcsystem.cli.up;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.mpcsystem.cli.AccountClient;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole system with TLS on every connection, as the operator runs it with spec.tls: parties
 * reach coordinator and router over TLS verified against the CA, the account service reaches the
 * coordinator the same way, and clients reach the account service over HTTPS only.
 */
class LocalTlsClusterTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String API_KEY = "mpc_tls_" + "0123456789abcdef".repeat(3);
    private static LocalCluster cluster;
    @org.junit.jupiter.api.extension.RegisterExtension
    static final ServiceLogsOnFailure LOGS = new ServiceLogsOnFailure(() -> cluster);

    @BeforeAll
    static void up() throws Exception {
        Path data = Path.of("target", "e2e-tls-" + System.nanoTime()).toAbsolutePath();
        cluster = LocalCluster.start(LocalClusterTest.home(), data, LocalClusterTest.freePorts(), API_KEY, Map.of(), Duration.ofSeconds(120), true);
    }

    @AfterAll
    static void down() {
        if (cluster != null) cluster.close();
    }

    @Test
    void keygenAndSigningWorkWithTlsEverywhere() {
        assertThat(cluster.accountUrl()).startsWith("https://");
        AccountClient client = new AccountClient(cluster.accountUrl(), API_KEY, cluster.tls().orElseThrow().sslContext());
        JsonNode account = client.createAccount("secp256k1");
        byte[] pk = HEX.parseHex(account.get("publicKey").asText());
        byte[] hash = new byte[32];
        new SecureRandom().nextBytes(hash);
        JsonNode sig = client.signHash(account.get("id").asText(), HEX.formatHex(hash));
        var domain = io.mpcsystem.tss.group.Secp256k1.DOMAIN;
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(domain.getCurve().decodePoint(pk), domain));
        assertThat(verifier.verifySignature(hash, new BigInteger(1, HEX.parseHex(sig.get("r").asText())),
                new BigInteger(1, HEX.parseHex(sig.get("s").asText())))).isTrue();
    }

    @Test
    void plaintextAndUntrustedClientsAreRefused() {
        URI plain = URI.create(cluster.accountUrl().replace("https://", "http://") + "/health/ready");
        assertThat(catchThrowable(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain).build(), HttpResponse.BodyHandlers.ofString())))
                .as("no plaintext on the TLS port").isNotNull();
        // a client that does not trust the local CA cannot talk to it either
        assertThat(catchThrowable(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.accountUrl() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString()))).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }
}
