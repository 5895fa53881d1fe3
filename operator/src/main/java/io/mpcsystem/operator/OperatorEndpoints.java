package io.mpcsystem.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The operator's own HTTP port: {@code /health/live}, {@code /health/ready} (informers synced and
 * healthy) and {@code /metrics} in Prometheus format (reconcile counts, durations and failures).
 * The JDK's HTTP server is enough for three read-only endpoints; no framework is pulled in.
 */
public final class OperatorEndpoints implements AutoCloseable {
    private final HttpServer server;

    public OperatorEndpoints(int port, BooleanSupplier ready, PrometheusMeterRegistry registry) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 16);
        server.createContext("/health/live", x -> send(x, 200, "text/plain", "UP"));
        com.sun.net.httpserver.HttpHandler readiness = x -> {
            boolean up = ready.getAsBoolean();
            send(x, up ? 200 : 503, "text/plain", up ? "UP" : "DOWN");
        };
        server.createContext("/health/ready", readiness);
        server.createContext("/health", readiness);
        server.createContext("/metrics", x -> send(x, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mpc-operator-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        try (x) {
            if (!"GET".equals(x.getRequestMethod()) && !"HEAD".equals(x.getRequestMethod())) {
                x.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", type);
            x.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = x.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(1);
    }
}
