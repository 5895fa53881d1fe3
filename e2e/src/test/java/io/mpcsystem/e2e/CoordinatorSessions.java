package io.mpcsystem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.awaitility.Awaitility;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/** Sessions through the coordinator's REST API, and the independent (BouncyCastle) check of their signatures. */
final class CoordinatorSessions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private CoordinatorSessions() {
    }

    /** Creates a session at {@code base} and waits up to {@code atMost} until it has ended; returns it as JSON. */
    static JsonNode run(URI base, String body, Duration atMost) throws Exception {
        return run(base, null, body, atMost);
    }

    /** As above, presenting the caller token the coordinator asks of its clients (null: none). */
    static JsonNode run(URI base, String token, String body, Duration atMost) throws Exception {
        HttpRequest.Builder post = HttpRequest.newBuilder(base.resolve("/api/v1/sessions")).header("Content-Type", "application/json");
        if (token != null) post.header("Authorization", "Bearer " + token);
        HttpResponse<String> created = HTTP.send(post
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asText();
        JsonNode[] last = new JsonNode[1];
        Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            HttpRequest.Builder get = HttpRequest.newBuilder(base.resolve("/api/v1/sessions/" + id)).GET();
            if (token != null) get.header("Authorization", "Bearer " + token);
            last[0] = JSON.readTree(HTTP.send(get.build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String status = last[0].get("status").asText();
            return status.equals("COMPLETED") || status.equals("FAILED");
        });
        return last[0];
    }

    /** The body of a signing session for a 32-byte hash. */
    static String sign(String keyId, byte[] hash) {
        return "{\"kind\":\"sign\",\"keyId\":\"" + keyId + "\",\"message\":\"" + HEX.formatHex(hash) + "\"}";
    }

    /** Whether a completed signing session's signature (r || s) verifies under the secp256k1 public key. */
    static boolean ecdsaVerifies(byte[] publicKey, byte[] hash, JsonNode session) {
        byte[] sig = HEX.parseHex(session.get("signature").asText());
        var domain = io.mpcsystem.tss.group.Secp256k1.DOMAIN;
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(domain.getCurve().decodePoint(publicKey), domain));
        return verifier.verifySignature(hash, new BigInteger(1, Arrays.copyOfRange(sig, 0, 32)), new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)));
    }
}
