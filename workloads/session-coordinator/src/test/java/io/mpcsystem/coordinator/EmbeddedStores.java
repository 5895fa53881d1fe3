package io.mpcsystem.coordinator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import redis.embedded.RedisServer;

/** Real PostgreSQL 17 and Redis servers from Maven's binaries for the coordinator's tests. */
public class EmbeddedStores implements QuarkusTestResourceLifecycleManager {
    private EmbeddedPostgres postgres;
    private RedisServer redis;

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
            int redisPort;
            try (ServerSocket s = new ServerSocket(0)) {
                redisPort = s.getLocalPort();
            }
            redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("appendonly no").build();
            redis.start();
            return Map.of(
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?currentSchema=coordinator",
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "",
                    "quarkus.redis.hosts", "redis://127.0.0.1:" + redisPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        try {
            if (redis != null) redis.stop();
            if (postgres != null) postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
