package io.mpcsystem.operator.keyset;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The part of Vault's HTTP API the driver uses for KV v2 and Kubernetes login, on loopback: enough
 * to check what the backend sends, and to make it face refusals, CAS conflicts and expired tokens.
 */
final class FakeVault implements AutoCloseable {
    /** One request as received; the body is kept raw so tests can check what was sent. */
    record Request(String method, String path, String token, String body) {
    }

    /** One KV version. */
    record Version(Map<String, Object> data, Instant created, boolean destroyed) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String kvMount;
    private final String kubernetesMount;
    private final String role;
    private final String jwt;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final Map<String, List<Version>> secrets = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Runnable> beforeNextWrite = new ConcurrentHashMap<>();

    FakeVault(String kvMount, String kubernetesMount, String role, String jwt) throws IOException {
        this.kvMount = kvMount;
        this.kubernetesMount = kubernetesMount;
        this.role = role;
        this.jwt = jwt;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String address() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A token as if created by an administrator, for token auth. */
    String issueToken() {
        String t = "hvs." + UUID.randomUUID();
        tokens.add(t);
        return t;
    }

    /** Every token issued so far stops working, as when their TTL runs out. */
    void expireAllTokens() {
        tokens.clear();
    }

    /** Runs {@code action} when the next write to {@code path} arrives, before looking at it. */
    void beforeNextWrite(String path, Runnable action) {
        beforeNextWrite.put(path, action);
    }

    /** Stores a version directly, as another client of the same Vault would. */
    void store(String path, String keyHex) {
        synchronized (secrets) {
            secrets.computeIfAbsent(path, p -> new ArrayList<>())
                    .add(new Version(Map.of("key", keyHex, "state", "active"), Instant.now(), false));
        }
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Versions stored at a path below the KV mount, e.g. {@code mpc-system/ns/ks/party-1/v1}. */
    List<Version> versions(String path) {
        synchronized (secrets) {
            return List.copyOf(secrets.getOrDefault(path, List.of()));
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String token = ex.getRequestHeaders().getFirst("X-Vault-Token");
            requests.add(new Request(method, path, token, body));
            boolean write = method.equals("POST") || method.equals("PUT");

            if (write && path.equals("/v1/auth/" + kubernetesMount + "/login")) {
                login(ex, body);
                return;
            }
            String data = "/v1/" + kvMount + "/data/";
            if (write && path.startsWith(data)) {
                Runnable hook = beforeNextWrite.remove(path.substring(data.length()));
                if (hook != null) hook.run();
            }
            if (token == null || !tokens.contains(token)) {
                reply(ex, 403, Map.of("errors", List.of("permission denied")));
                return;
            }
            String destroy = "/v1/" + kvMount + "/destroy/";
            String metadata = "/v1/" + kvMount + "/metadata/";
            String query = ex.getRequestURI().getQuery();
            if (path.startsWith(metadata) && (method.equals("LIST") || (method.equals("GET") && query != null && query.contains("list=true")))) {
                list(ex, path.substring(metadata.length()));
            } else if (path.startsWith(data) && method.equals("GET")) {
                read(ex, path.substring(data.length()));
            } else if (path.startsWith(data) && write) {
                write(ex, path.substring(data.length()), body);
            } else if (path.startsWith(destroy) && write) {
                destroy(ex, path.substring(destroy.length()), body);
            } else {
                reply(ex, 404, Map.of("errors", List.of()));
            }
        }
    }

    /** KV v2 LIST: the names directly below a folder ("v1", "sub/"), 404 when there are none. */
    private void list(HttpExchange ex, String folder) throws IOException {
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        java.util.TreeSet<String> keys = new java.util.TreeSet<>();
        synchronized (secrets) {
            for (String p : secrets.keySet()) {
                if (!p.startsWith(prefix)) continue;
                String rest = p.substring(prefix.length());
                int slash = rest.indexOf('/');
                keys.add(slash < 0 ? rest : rest.substring(0, slash + 1));
            }
        }
        if (keys.isEmpty()) {
            reply(ex, 404, Map.of("errors", List.of()));
            return;
        }
        reply(ex, 200, envelope("data", Map.of("keys", List.copyOf(keys))));
    }

    private void login(HttpExchange ex, String body) throws IOException {
        Map<String, Object> req = parse(body);
        if (req == null || !(req.get("role") instanceof String r) || !(req.get("jwt") instanceof String j)) {
            reply(ex, 400, Map.of("errors", List.of("missing role or jwt")));
            return;
        }
        if (!r.equals(role)) {
            reply(ex, 400, Map.of("errors", List.of("invalid role name \"" + r + "\"")));
            return;
        }
        if (!j.equals(jwt)) {
            reply(ex, 403, Map.of("errors", List.of("permission denied")));
            return;
        }
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("client_token", issueToken());
        auth.put("accessor", UUID.randomUUID().toString());
        auth.put("lease_duration", 3600);
        auth.put("renewable", true);
        auth.put("policies", List.of());
        reply(ex, 200, envelope("auth", auth));
    }

    private void read(HttpExchange ex, String path) throws IOException {
        Version latest;
        int number;
        synchronized (secrets) {
            List<Version> vs = secrets.get(path);
            if (vs == null || vs.isEmpty() || vs.get(vs.size() - 1).destroyed()) {
                reply(ex, 404, Map.of("errors", List.of()));
                return;
            }
            number = vs.size();
            latest = vs.get(number - 1);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("version", number);
        metadata.put("created_time", latest.created().toString());
        metadata.put("deletion_time", "");
        metadata.put("destroyed", false);
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("data", latest.data());
        inner.put("metadata", metadata);
        reply(ex, 200, envelope("data", inner));
    }

    @SuppressWarnings("unchecked")
    private void write(HttpExchange ex, String path, String body) throws IOException {
        Map<String, Object> req = parse(body);
        if (req == null || !(req.get("data") instanceof Map<?, ?> data)) {
            reply(ex, 400, Map.of("errors", List.of("no data provided")));
            return;
        }
        Object options = req.get("options");
        Object cas = options instanceof Map<?, ?> o ? o.get("cas") : null;
        Instant now = Instant.now();
        int number;
        synchronized (secrets) {
            List<Version> vs = secrets.computeIfAbsent(path, p -> new ArrayList<>());
            if (cas != null && ((Number) cas).intValue() != vs.size()) {
                reply(ex, 400, Map.of("errors", List.of("check-and-set parameter did not match the current version")));
                return;
            }
            vs.add(new Version(Map.copyOf((Map<String, Object>) data), now, false));
            number = vs.size();
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("version", number);
        meta.put("created_time", now.toString());
        meta.put("deletion_time", "");
        meta.put("destroyed", false);
        reply(ex, 200, envelope("data", meta));
    }

    private void destroy(HttpExchange ex, String path, String body) throws IOException {
        Map<String, Object> req = parse(body);
        if (req == null || !(req.get("versions") instanceof List<?> numbers)) {
            reply(ex, 400, Map.of("errors", List.of("no versions provided")));
            return;
        }
        synchronized (secrets) {
            List<Version> vs = secrets.getOrDefault(path, List.of());
            for (Object n : numbers) {
                int i = ((Number) n).intValue();
                if (i >= 1 && i <= vs.size()) {
                    Version v = vs.get(i - 1);
                    vs.set(i - 1, new Version(Map.of(), v.created(), true));
                }
            }
        }
        ex.sendResponseHeaders(204, -1);
    }

    /** Vault wraps every answer alike, and the driver's parsers insist on some of these fields. */
    private static Map<String, Object> envelope(String field, Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("request_id", UUID.randomUUID().toString());
        out.put("lease_id", "");
        out.put("renewable", false);
        out.put("lease_duration", 0);
        out.put("data", null);
        out.put("wrap_info", null);
        out.put("warnings", null);
        out.put("auth", null);
        out.put(field, value);
        return out;
    }

    private static Map<String, Object> parse(String body) {
        try {
            return JSON.readValue(body, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            return null;
        }
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
