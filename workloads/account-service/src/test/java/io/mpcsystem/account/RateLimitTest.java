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

/** Each API key has its own token bucket: past its burst it gets 429 with Retry-After, other keys are unaffected. */
@QuarkusTest
@WithTestResource(MpcTestResources.class)
@TestProfile(RateLimitTest.Tight.class)
class RateLimitTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metricsUrl;

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // one request every 50 s after a burst of 5: even a slow machine runs the test inside one refill
            return Map.of("mpc.rate-limit.per-second", "0.02", "mpc.rate-limit.burst", "5");
        }
    }

    @Test
    void aKeyPastItsBurstIsTooManyRequestsAndOtherKeysAreNot() {
        String busy = (String) createKey("busy", "rate-a", "read").get("key");
        String calm = (String) createKey("calm", "rate-b", "read").get("key");
        String some = "/api/v1/accounts/" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) as(busy).get(some).then().statusCode(404);

        var refused = as(busy).get(some).then();
        assertProblem(refused, 429, "too many requests");
        int retryAfter = Integer.parseInt(refused.extract().header("Retry-After"));
        assertThat(retryAfter).isBetween(1, 50);
        // also for paths that do not exist: the limit comes before routing
        assertProblem(as(busy).get("/api/v1/whatever-" + UUID.randomUUID()).then(), 429, "too many requests");

        for (int i = 0; i < 10; i++) as(busy).get("/api/v1/made-up-" + UUID.randomUUID()).then().statusCode(429);

        as(calm).get(some).then().statusCode(404);
        given().get("/health/live").then().statusCode(200);

        // refused before routing: one fixed metrics label, whatever the paths
        String metrics = given().get(metricsUrl).then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain("whatever-").doesNotContain("made-up-")
                .contains("uri=\"" + ApiKeyFilter.RATE_LIMITED_LABEL + "\"");
    }
}
