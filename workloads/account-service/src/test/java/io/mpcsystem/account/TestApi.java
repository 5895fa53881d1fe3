package io.mpcsystem.account;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** Requests against the running service, authenticated with the bootstrap key. */
final class TestApi {
    private TestApi() {
    }

    static RequestSpecification authorized() {
        return given().header("Authorization", "Bearer " + MpcTestResources.API_KEY).contentType(ContentType.JSON);
    }

    /** Requests with another API key. */
    static RequestSpecification as(String apiKey) {
        return given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON);
    }

    /** A new API key made with the bootstrap (admin) key: the creation answer, with the key itself under "key". */
    static Map<String, Object> createKey(String label, String tenant, String... scopes) {
        return authorized().body(Map.of("label", label, "tenant", tenant, "scopes", java.util.List.of(scopes))).post("/api/v1/api-keys")
                .then().statusCode(201).extract().jsonPath().getMap("");
    }

    static Map<String, Object> createAccount(String curve) {
        return authorized().body(Map.of("curve", curve)).post("/api/v1/accounts")
                .then().statusCode(201).extract().jsonPath().getMap("");
    }

    static ValidatableResponse sign(String accountId, Map<String, String> body) {
        return authorized().body(body).post("/api/v1/accounts/" + accountId + "/signatures").then();
    }

    /** A problem+json response with the given status whose detail mentions {@code detailFragment}. */
    static void assertProblem(ValidatableResponse response, int status, String detailFragment) {
        response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", org.hamcrest.Matchers.equalTo(status))
                .body("title", org.hamcrest.Matchers.notNullValue())
                .body("type", org.hamcrest.Matchers.notNullValue())
                .body("detail", org.hamcrest.Matchers.containsString(detailFragment))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Exception")))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("\tat ")));
    }
}
