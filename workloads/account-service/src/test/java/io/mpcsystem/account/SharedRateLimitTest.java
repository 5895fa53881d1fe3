package io.mpcsystem.account;

import static io.mpcsystem.account.TestApi.as;
import static io.mpcsystem.account.TestApi.assertProblem;
import static io.mpcsystem.account.TestApi.createKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With MPC_REDIS_HOST the buckets live in Redis, where every replica takes from them: what this
 * replica takes shows there, and what another replica took (written into Redis here) counts here.
 */
@QuarkusTest
@WithTestResource(MpcTestResources.class)
@WithTestResource(RedisTestResource.class)
@TestProfile(SharedRateLimitTest.Tight.class)
class SharedRateLimitTest {
    @Inject
    RedisDataSource redis;
    @Inject
    RequestLimits limits;

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mpc.rate-limit.per-second", "0.02", "mpc.rate-limit.burst", "8", "mpc.rate-limit.keygen-cost", "5");
        }
    }

    private double tokens(String bucket) {
        return Double.parseDouble(redis.hash(String.class).hget(SharedBuckets.PREFIX + bucket, "tokens"));
    }

    @Test
    void aTenantsBucketIsInRedisAndWhatAnotherReplicaTookCountsHere() {
        String key = (String) createKey("shared", "shared-a", "read").get("key");
        String some = "/api/v1/accounts/" + UUID.randomUUID();
        as(key).get(some).then().statusCode(404);
        as(key).get(some).then().statusCode(404);
        assertThat(tokens("tenant:shared-a")).as("8 less the two requests (and a trickle of refill)").isBetween(6.0, 6.5);
        // another replica takes the rest of the tenant's bucket
        redis.hash(String.class).hset(SharedBuckets.PREFIX + "tenant:shared-a", "tokens", "0");
        assertProblem(as(key).get(some).then(), 429, "tenant made too many requests");
        // and failed authentications have their shared bucket too
        given().header("Authorization", "Bearer not-a-key").get("/api/v1/accounts").then().statusCode(401);
        assertThat(redis.key().exists(SharedBuckets.PREFIX + "unauthenticated")).isTrue();
        assertThat(limits.sharedFailures()).as("every take went to Redis").isZero();
    }
}
