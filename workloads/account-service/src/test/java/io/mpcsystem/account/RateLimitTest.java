package io.mpcsystem.account;

import static io.mpcsystem.account.TestApi.as;
import static io.mpcsystem.account.TestApi.assertProblem;
import static io.mpcsystem.account.TestApi.createKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Each tenant has one token bucket for all its API keys: past its burst it gets 429 with
 * Retry-After, other tenants are unaffected; a key generation takes more; failed
 * authentications have a bucket of their own.
 */
@QuarkusTest
@WithTestResource(MpcTestResources.class)
@TestProfile(RateLimitTest.Tight.class)
class RateLimitTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metricsUrl;

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // one request every 50 s after a burst of 8: even a slow machine runs the test inside one refill
            // (the bootstrap key's tenant makes the tests' keys: 5 of its 8)
            return Map.of("mpc.rate-limit.per-second", "0.02", "mpc.rate-limit.burst", "8", "mpc.rate-limit.keygen-cost", "5",
                    "mpc.rate-limit.unauthenticated-per-second", "0.02", "mpc.rate-limit.unauthenticated-burst", "3");
        }
    }

    @Test
    void aTenantPastItsBurstIsTooManyRequestsWhicheverOfItsKeysAsksAndOtherTenantsAreNot() {
        String busy = (String) createKey("busy", "rate-a", "read").get("key");
        String busyToo = (String) createKey("busy-too", "rate-a", "read").get("key");
        String calm = (String) createKey("calm", "rate-b", "read").get("key");
        String some = "/api/v1/accounts/" + UUID.randomUUID();
        for (int i = 0; i < 8; i++) as(busy).get(some).then().statusCode(404);

        var refused = as(busy).get(some).then();
        assertProblem(refused, 429, "too many requests");
        int retryAfter = Integer.parseInt(refused.extract().header("Retry-After"));
        assertThat(retryAfter).isBetween(1, 50);
        // also for paths that do not exist: the limit comes before routing
        assertProblem(as(busy).get("/api/v1/whatever-" + UUID.randomUUID()).then(), 429, "too many requests");

        for (int i = 0; i < 10; i++) as(busy).get("/api/v1/made-up-" + UUID.randomUUID()).then().statusCode(429);
        // another key of the same tenant: the same bucket (a tenant does not multiply its rate by minting keys)
        assertProblem(as(busyToo).get(some).then(), 429, "tenant made too many requests");

        as(calm).get(some).then().statusCode(404);
        given().get("/health/live").then().statusCode(200);

        // refused before routing: one fixed metrics label, whatever the paths
        String metrics = given().get(metricsUrl).then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain("whatever-").doesNotContain("made-up-")
                .contains("uri=\"" + ApiKeyFilter.RATE_LIMITED_LABEL + "\"");
    }

    @Test
    void aKeyGenerationTakesMoreOfTheTenantsBucket() {
        String maker = (String) createKey("maker", "rate-c", "read", "sign").get("key");
        as(maker).body(Map.of("curve", "secp256k1")).post("/api/v1/accounts").then().statusCode(201);
        // 5 of 8 taken by the key generation: three more requests, not a second key generation
        assertProblem(as(maker).body(Map.of("curve", "secp256k1")).post("/api/v1/accounts").then(), 429, "too many requests");
        String some = "/api/v1/accounts/" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) as(maker).get(some).then().statusCode(404);
        assertProblem(as(maker).get(some).then(), 429, "too many requests");
    }

    @Test
    void requestsWithoutAValidKeyHaveTheirOwnLimit() {
        for (int i = 0; i < 3; i++) given().header("Authorization", "Bearer not-a-key-" + i).get("/api/v1/accounts").then().statusCode(401);
        assertProblem(given().header("Authorization", "Bearer not-a-key").get("/api/v1/accounts").then(), 429, "without a valid API key");
        assertProblem(given().get("/api/v1/accounts").then(), 429, "without a valid API key");
        // a valid key is not held back by them
        String fine = (String) createKey("fine", "rate-d", "read").get("key");
        as(fine).get("/api/v1/accounts/" + UUID.randomUUID()).then().statusCode(404);
    }
}
