package io.mpcsystem.e2e.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * A real Vault server in dev mode ({@code vault server -dev -dev-tls}): in memory, unsealed, KV v2
 * at {@code secret/}, HTTPS with a CA of its own (the operator talks to Vault over https only),
 * and a root token for setting it up. The operator never gets the root token: tests give it a
 * Kubernetes-auth role.
 */
public final class VaultDevServer {
    private final String address;
    private final Path caFile;
    private final String rootToken;
    /** Made once Vault has written its CA (it does so at start). */
    private HttpClient http;

    private VaultDevServer(String address, Path caFile, String rootToken) {
        this.address = address;
        this.caFile = caFile;
        this.rootToken = rootToken;
    }

    static VaultDevServer start(Path program, Path dir, Path logs, List<ChildProcess> processes) throws IOException {
        Files.createDirectories(dir);
        byte[] t = new byte[16];
        new SecureRandom().nextBytes(t);
        String root = "root-" + HexFormat.of().formatHex(t);
        // dev mode puts its cluster listener on the API port + 1, which no flag moves: take two in a row
        int port = twoFreePorts();
        ChildProcess vault = ChildProcess.start("vault", logs, List.of(program.toString(), "server", "-dev", "-dev-tls",
                "-dev-tls-cert-dir=" + dir, "-dev-listen-address=127.0.0.1:" + port, "-dev-root-token-id=" + root, "-dev-no-store-token"));
        processes.add(vault);
        VaultDevServer server = new VaultDevServer("https://127.0.0.1:" + port, dir.resolve("vault-ca.pem"), root);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            vault.requireAlive();
            if (Files.exists(server.caFile)) {
                try {
                    if (server.request("GET", "sys/health", null).statusCode() == 200) return server;
                } catch (IllegalStateException e) {
                    // not listening yet
                }
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("vault not ready within 60 s");
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    private static int twoFreePorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket a = new ServerSocket(0)) {
                int p = a.getLocalPort();
                if (p >= 65535) continue;
                try (ServerSocket b = new ServerSocket(p + 1)) {
                    return p;
                } catch (IOException taken) {
                    // try another pair
                }
            }
        }
        throw new IOException("no two consecutive free ports");
    }

    public String address() {
        return address;
    }

    public Path caFile() {
        return caFile;
    }

    public String caPem() {
        try {
            return Files.readString(caFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One call of Vault's HTTP API as root ({@code path} below /v1/); fails on anything but 2xx. */
    public String call(String method, String path, String json) {
        HttpResponse<String> r = request(method, path, json);
        if (r.statusCode() / 100 != 2) throw new IllegalStateException("vault " + method + " " + path + ": HTTP " + r.statusCode() + " " + r.body());
        return r.body();
    }

    synchronized HttpResponse<String> request(String method, String path, String json) {
        if (http == null) http = Tls.httpClient(caFile);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(address + "/v1/" + path)).timeout(Duration.ofSeconds(10))
                .header("X-Vault-Token", rootToken)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) b.header("Content-Type", "application/json");
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("vault " + method + " " + path + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}
