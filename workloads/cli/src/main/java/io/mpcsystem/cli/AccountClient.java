package io.mpcsystem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The account service's REST API, as the CLI uses it. */
public final class AccountClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final String baseUrl;
    private final String apiKey;

    public AccountClient(String baseUrl, String apiKey) {
        this(baseUrl, apiKey, null);
    }

    /** With {@code ssl}, https URLs are verified against its trust (e.g. the local CA of {@code mpc up --tls}). */
    public AccountClient(String baseUrl, String apiKey, javax.net.ssl.SSLContext ssl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) b.sslContext(ssl);
        this.http = b.build();
    }

    /** A response the service refused, with its problem detail. */
    public static final class ApiError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String correlationId;

        ApiError(int status, String message) {
            this(status, message, null);
        }

        ApiError(int status, String message, String correlationId) {
            super(message);
            this.status = status;
            this.correlationId = correlationId;
        }

        public int status() {
            return status;
        }

        /** What the service logged the cause under (for a 502: the session id), if it said. */
        public java.util.Optional<String> correlationId() {
            return java.util.Optional.ofNullable(correlationId);
        }
    }

    public JsonNode createAccount(String curve) {
        return call("POST", "/api/v1/accounts", JSON.createObjectNode().put("curve", curve).toString());
    }

    public JsonNode account(String id) {
        return call("GET", "/api/v1/accounts/" + id, null);
    }

    public JsonNode signHash(String accountId, String hashHex) {
        return call("POST", "/api/v1/accounts/" + accountId + "/signatures", JSON.createObjectNode().put("hash", hashHex).toString());
    }

    public JsonNode signMessage(String accountId, String messageHex) {
        return call("POST", "/api/v1/accounts/" + accountId + "/signatures", JSON.createObjectNode().put("message", messageHex).toString());
    }

    private JsonNode call(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey).header("Accept", "application/json");
        if (body == null) b.method(method, HttpRequest.BodyPublishers.noBody());
        else b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
            if (r.statusCode() >= 400) {
                String detail = json.path("detail").asText(json.path("title").asText("HTTP " + r.statusCode()));
                String correlation = json.hasNonNull("correlationId") ? json.get("correlationId").asText() : null;
                throw new ApiError(r.statusCode(), "account service answered " + r.statusCode() + ": " + detail
                        + (correlation == null ? "" : " (correlation id " + correlation + ")"), correlation);
            }
            return json;
        } catch (IOException e) {
            throw new ApiError(0, "cannot reach the account service at " + baseUrl + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(0, "interrupted");
        }
    }
}
