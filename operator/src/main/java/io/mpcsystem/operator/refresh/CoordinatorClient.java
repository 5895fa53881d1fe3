package io.mpcsystem.operator.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.desired.ClusterSecrets;
import io.mpcsystem.operator.desired.Component;
import io.mpcsystem.operator.desired.DesiredDeployment;
import io.mpcsystem.operator.desired.WorkloadTls;
import io.mpcsystem.operator.keyset.WorkloadHttp;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The session coordinator's REST API as the share refresh uses it: {@code GET /api/v1/keys},
 * {@code POST /api/v1/sessions} with kind refresh, {@code GET /api/v1/sessions/{id}}. Only the
 * operator (with the account service) may reach that API; the NetworkPolicies say so.
 */
public final class CoordinatorClient implements RefreshCoordinator {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Session ids are UUIDs; anything else in an answer is not put into a URL. */
    private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");
    private final URI base;
    private final HttpClientSource http;
    private final TokenSource token;

    /** Builds the HTTP client when first needed (reading the cluster's CA then). */
    public interface HttpClientSource {
        HttpClient get() throws GeneralSecurityException, IOException;
    }

    /**
     * The operator's caller token (the {@code operator} key of {@code <cluster>-caller-tokens}),
     * sent as {@code Authorization: Bearer}; empty sends none. Never logged or put in an exception.
     */
    public interface TokenSource {
        java.util.Optional<String> get();
    }

    public CoordinatorClient(URI base, HttpClientSource http) {
        this(base, http, java.util.Optional::empty);
    }

    public CoordinatorClient(URI base, HttpClientSource http, TokenSource token) {
        this.base = base;
        this.http = http;
        this.token = token;
    }

    /** The coordinator Service of a cluster, over HTTPS when the cluster has TLS on, with the operator's caller token. */
    public static CoordinatorClient inCluster(KubernetesClient client, MpcCluster c) {
        URI base = URI.create((WorkloadTls.on(c) ? "https://" : "http://") + Component.COORDINATOR.name(c) + "." + c.getMetadata().getNamespace()
                + ".svc:" + DesiredDeployment.HTTP_PORT);
        return new CoordinatorClient(base, () -> WorkloadHttp.client(client, c), () -> operatorToken(client, c));
    }

    /** Where this client sends its requests. */
    public URI base() {
        return base;
    }

    /** The operator's token from the cluster's caller-tokens Secret, if it exists yet. */
    static java.util.Optional<String> operatorToken(KubernetesClient client, MpcCluster c) {
        var s = client.secrets().inNamespace(c.getMetadata().getNamespace()).withName(ClusterSecrets.callerTokens(c)).get();
        if (s == null || s.getData() == null || s.getData().get(ClusterSecrets.OPERATOR_TOKEN) == null) return java.util.Optional.empty();
        return java.util.Optional.of(new String(java.util.Base64.getDecoder().decode(s.getData().get(ClusterSecrets.OPERATOR_TOKEN)),
                StandardCharsets.UTF_8).trim());
    }

    @Override
    public List<String> keys(String after, int limit) {
        String query = "limit=" + limit + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/api/v1/keys?" + query)).GET());
        if (r.statusCode() != 200) throw new Unavailable("listing keys answered HTTP " + r.statusCode() + detail(r));
        JsonNode ids = body(r).path("keyIds");
        if (!ids.isArray()) throw new Unavailable("listing keys gave no keyIds");
        List<String> out = new ArrayList<>();
        ids.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Override
    public StartResult start(String keyId) {
        String json = JSON.createObjectNode().put("kind", "refresh").put("keyId", keyId).toString();
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/api/v1/sessions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        return switch (r.statusCode()) {
            case 200, 201 -> new Started(sessionId(body(r).path("id").asText("")));
            case 409 -> new Busy(problem(r));
            case 404 -> new NoSuchKey(problem(r));
            default -> throw new Unavailable("starting a refresh of key " + keyId + " answered HTTP " + r.statusCode() + detail(r));
        };
    }

    @Override
    public SessionState session(String sessionId) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/api/v1/sessions/" + sessionId(sessionId))).GET());
        if (r.statusCode() != 200) throw new Unavailable("session " + sessionId + " answered HTTP " + r.statusCode() + detail(r));
        JsonNode s = body(r);
        String status = s.path("status").asText("");
        if (status.isEmpty()) throw new Unavailable("session " + sessionId + " has no status");
        return new SessionState(status, text(s, "failureReason"), text(s, "culpritPartyId"));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            java.util.Optional<String> t = token.get();
            if (t.isPresent()) request.header("Authorization", "Bearer " + t.get());
            return http.get().send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | GeneralSecurityException e) {
            throw new Unavailable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
    }

    private static String sessionId(String id) {
        if (!SESSION_ID.matcher(id).matches()) throw new Unavailable("the coordinator answered with an unusable session id");
        return id;
    }

    private static JsonNode body(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new Unavailable("the coordinator's answer is not JSON");
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The problem body's detail, which the coordinator fills with the reason. */
    private static String problem(HttpResponse<String> r) {
        try {
            String d = text(JSON.readTree(r.body()), "detail");
            return d == null ? "HTTP " + r.statusCode() : d;
        } catch (IOException e) {
            return "HTTP " + r.statusCode();
        }
    }

    private static String detail(HttpResponse<String> r) {
        String d = problem(r);
        return d.startsWith("HTTP ") ? "" : " (" + d + ")";
    }
}
