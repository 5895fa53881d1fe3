package io.mpcsystem.account;

import static io.mpcsystem.account.TestApi.as;
import static io.mpcsystem.account.TestApi.createKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Redis named but not answering: the service goes on, each replica limiting with its own buckets. */
@QuarkusTest
@WithTestResource(MpcTestResources.class)
@TestProfile(SharedRateLimitFallbackTest.Unreachable.class)
class SharedRateLimitFallbackTest {
    @Inject
    RequestLimits limits;

    public static class Unreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            // nothing listens there
            return Map.of("mpc.rate-limit.redis-host", "127.0.0.1", "quarkus.redis.hosts", "redis://127.0.0.1:" + port,
                    "mpc.rate-limit.per-second", "0.02", "mpc.rate-limit.burst", "3", "mpc.rate-limit.keygen-cost", "1");
        }
    }

    @Test
    void requestsAreServedAndLimitedLocallyWhileRedisIsDown() {
        String key = (String) createKey("alone", "fallback-a", "read").get("key");
        String some = "/api/v1/accounts/" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) as(key).get(some).then().statusCode(404);
        as(key).get(some).then().statusCode(429);
        assertThat(limits.sharedFailures()).isPositive();
    }
}
