package io.mpcsystem.account;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import redis.embedded.RedisServer;

/** A real Redis (embedded binary) on a free loopback port, named as the operator names it (MPC_REDIS_HOST). */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {
    private RedisServer redis;

    @Override
    public Map<String, String> start() {
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("appendonly no").build();
            redis.start();
            return Map.of("mpc.rate-limit.redis-host", "127.0.0.1", "quarkus.redis.hosts", "redis://127.0.0.1:" + port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        try {
            if (redis != null) redis.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
