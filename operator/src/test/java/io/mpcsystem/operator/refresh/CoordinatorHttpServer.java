package io.mpcsystem.operator.refresh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The subset of the session coordinator's REST API the share refresh uses, over real HTTP on
 * loopback, in the coordinator's JSON shapes ({@code KeyResource.Page}, {@code
 * SessionResource.SessionJson}, problem+json bodies for refusals), backed by an {@link
 * InMemoryCoordinator}. Every refresh session completes after it has been looked at
 * {@code pollsUntilDone} times, unless the key is in {@code failing}.
 */
public final class CoordinatorHttpServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public final InMemoryCoordinator state;
    public final java.util.Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    public final AtomicInteger requests = new AtomicInteger();
    /** The Authorization header of the last request. */
    public volatile String authorization;
    private final Map<String, Integer> polls = new HashMap<>();
    private final int pollsUntilDone;
    private final HttpServer server;

    public CoordinatorHttpServer(InMemoryCoordinator state, int pollsUntilDone) throws IOException {
        this.state = state;
        this.pollsUntilDone = pollsUntilDone;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/keys", this::keys);
        server.createContext("/api/v1/sessions", this::sessions);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private synchronized void keys(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        authorization = x.getRequestHeaders().getFirst("Authorization");
        Map<String, String> q = query(x.getRequestURI());
        int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
        var ids = state.keys(q.get("after"), limit);
        ObjectNode page = JSON.createObjectNode();
        var array = page.putArray("keyIds");
        ids.forEach(array::add);
        page.put("next", ids.size() == limit ? ids.get(ids.size() - 1) : null);
        send(x, 200, page);
    }

    private synchronized void sessions(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        authorization = x.getRequestHeaders().getFirst("Authorization");
        String path = x.getRequestURI().getPath();
        if (x.getRequestMethod().equals("POST") && path.equals("/api/v1/sessions")) {
            JsonNode body = JSON.readTree(x.getRequestBody());
            if (!"refresh".equals(body.path("kind").asText())) {
                send(x, 400, problem(400, "kind must be keygen, sign or refresh"));
                return;
            }
            var r = state.start(body.path("keyId").asText());
            if (r instanceof RefreshCoordinator.Started s) send(x, 201, session(s.sessionId(), state.sessions.get(s.sessionId())));
            else if (r instanceof RefreshCoordinator.Busy b) send(x, 409, problem(409, b.reason()));
            else send(x, 404, problem(404, ((RefreshCoordinator.NoSuchKey) r).reason()));
            return;
        }
        String id = path.substring("/api/v1/sessions/".length());
        RefreshCoordinator.SessionState s = state.sessions.get(id);
        if (s == null) {
            send(x, 404, problem(404, "no session " + id));
            return;
        }
        if (state.running(id) && polls.merge(id, 1, Integer::sum) >= pollsUntilDone) {
            if (failing.contains(state.sessionKey.get(id))) state.failRunning("party-3 sent an invalid proof", "party-3");
            else state.completeRunning();
        }
        send(x, 200, session(id, state.sessions.get(id)));
    }

    private ObjectNode session(String id, RefreshCoordinator.SessionState s) {
        ObjectNode n = JSON.createObjectNode().put("id", id).put("kind", "refresh").put("protocol", "dkls23").put("threshold", 2).put("parties", 3)
                .put("keyId", state.sessionKey.get(id)).put("message", "").put("status", s.status());
        n.putArray("roster");
        n.putNull("publicKey");
        n.putNull("signature");
        n.putNull("recoveryId");
        n.put("failureReason", s.failureReason());
        n.put("culpritPartyId", s.culprit());
        return n;
    }

    private static ObjectNode problem(int status, String detail) {
        return JSON.createObjectNode().put("title", status == 409 ? "Conflict" : "Refused").put("status", status).put("detail", detail);
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        if (uri.getRawQuery() == null) return out;
        for (String p : uri.getRawQuery().split("&")) {
            int eq = p.indexOf('=');
            out.put(p.substring(0, eq), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void send(HttpExchange x, int status, JsonNode body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        x.getResponseHeaders().add("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
