package io.mpcsystem.router;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import redis.embedded.RedisServer;

/** A real redis-server (the binary embedded-redis ships) for the router's tests. */
public class EmbeddedRedisResource implements QuarkusTestResourceLifecycleManager {
    static RedisServer server;
    static int port;

    @Override
    public Map<String, String> start() {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("appendonly no").build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.redis.hosts", "redis://127.0.0.1:" + port);
    }

    @Override
    public void stop() {
        try {
            if (server != null) server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
