package io.mpcsystem.account;

import static io.mpcsystem.account.TestApi.createAccount;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(MpcTestResources.class)
class OperationsTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metricsUrl;

    @Test
    void readinessIncludesTheDatabase() {
        given().get("/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
        given().get("/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsArePrometheusText() {
        createAccount("ed25519");
        given().get(metricsUrl).then().statusCode(200)
                .body(containsString("mpc_account_requests_total{"))
                .body(containsString("operation=\"keygen\""))
                .body(containsString("http_server_requests_seconds_count"));
    }

    @Test
    void unknownPathsOutsideTheApiAreProblemsToo() {
        given().get("/nothing").then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }
}
