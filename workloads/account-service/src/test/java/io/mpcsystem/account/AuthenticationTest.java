package io.mpcsystem.account;

import static org.assertj.core.api.Assertions.assertThat;

import static io.mpcsystem.account.TestApi.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(MpcTestResources.class)
class AuthenticationTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metricsUrl;

    private static final String SOME_ID = UUID.randomUUID().toString();

    static Stream<Arguments> endpoints() {
        Map<String, Function<RequestSpecification, io.restassured.response.Response>> calls = Map.of(
                "create account", r -> r.body(Map.of("curve", "secp256k1")).post("/api/v1/accounts"),
                "get account", r -> r.get("/api/v1/accounts/" + SOME_ID),
                "sign", r -> r.body(Map.of("hash", "00".repeat(32))).post("/api/v1/accounts/" + SOME_ID + "/signatures"),
                "unknown api path", r -> r.get("/api/v1/nothing-here"));
        return calls.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0} without a key")
    @MethodSource("endpoints")
    void noKeyIsRefused(String name, Function<RequestSpecification, io.restassured.response.Response> call) {
        var response = call.apply(given().contentType(ContentType.JSON)).then();
        assertProblem(response, 401, "an API key is required");
        response.header("WWW-Authenticate", equalTo("Bearer"));
    }

    @ParameterizedTest(name = "{0} with a wrong bearer key")
    @MethodSource("endpoints")
    void wrongBearerKeyIsRefused(String name, Function<RequestSpecification, io.restassured.response.Response> call) {
        assertProblem(call.apply(given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + MpcTestResources.API_KEY + "x")).then(), 401, "not valid");
    }

    @ParameterizedTest(name = "{0} with a wrong X-API-Key")
    @MethodSource("endpoints")
    void wrongHeaderKeyIsRefused(String name, Function<RequestSpecification, io.restassured.response.Response> call) {
        assertProblem(call.apply(given().contentType(ContentType.JSON).header("X-API-Key", "guess")).then(), 401, "not valid");
    }

    @Test
    void otherAuthorizationSchemesAreNotKeys() {
        assertProblem(given().auth().preemptive().basic("user", MpcTestResources.API_KEY).get("/api/v1/accounts/" + SOME_ID).then(),
                401, "an API key is required");
        assertProblem(given().header("Authorization", "Bearer ").get("/api/v1/accounts/" + SOME_ID).then(), 401, "an API key is required");
    }

    @Test
    void bothHeaderFormsAreAccepted() {
        given().header("X-API-Key", MpcTestResources.API_KEY).get("/api/v1/accounts/" + SOME_ID).then().statusCode(404);
        given().header("Authorization", "bearer " + MpcTestResources.API_KEY).get("/api/v1/accounts/" + SOME_ID).then().statusCode(404);
    }

    @jakarta.inject.Inject
    ApiKeyRepository apiKeys;
    @jakarta.inject.Inject
    io.agroal.api.AgroalDataSource db;

    @Test
    void aNewKeyWorksAtOnceAndARevokedOneStopsWithinTheRereadTime() throws Exception {
        String key = "revocable-" + UUID.randomUUID() + UUID.randomUUID();
        apiKeys.registerIfAbsent(ApiKeyHash.of(key), "revocation test", "default", java.util.EnumSet.allOf(Scope.class));
        given().header("X-API-Key", key).get("/api/v1/accounts/" + SOME_ID).then().statusCode(404);
        try (var c = db.getConnection(); var ps = c.prepareStatement("UPDATE api_keys SET revoked_at = now() WHERE label = 'revocation test'")) {
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        org.awaitility.Awaitility.await().atMost(ApiKeyRepository.REREAD.plusSeconds(3)).pollInterval(java.time.Duration.ofMillis(200))
                .untilAsserted(() -> given().header("X-API-Key", key).get("/api/v1/accounts/" + SOME_ID).then().statusCode(401));
        // the original key is unaffected
        given().header("X-API-Key", MpcTestResources.API_KEY).get("/api/v1/accounts/" + SOME_ID).then().statusCode(404);
    }

    @Test
    void healthAndMetricsNeedNoKey() {
        given().get("/health/live").then().statusCode(200);
        given().get(metricsUrl).then().statusCode(200);
    }
}
