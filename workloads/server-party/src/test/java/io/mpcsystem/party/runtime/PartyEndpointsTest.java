package io.mpcsystem.party.runtime;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The party's HTTP side, with no coordinator reachable: alive, not ready, status served. */
@QuarkusTest
class PartyEndpointsTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metricsUrl;

    @Test
    void liveButNotReadyWithoutACoordinator() {
        given().get("/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'party' }.data.shareStoreOpen", equalTo(true))
                .body("checks.find { it.name == 'party' }.data.coordinatorConnected", equalTo(false));
    }

    @Test
    void keyShareStatusCountsSealedItemsByVersion() {
        given().get("/api/v1/keyshares/status").then().statusCode(200)
                .body("partyId", equalTo("server-party-1"))
                .body("currentKekVersion", equalTo(1))
                .body("sealedByKekVersion.'1'", greaterThanOrEqualTo(1))
                .body("allUnderCurrentVersion", equalTo(true));
    }

    @Test
    void prometheusMetrics() {
        given().get(metricsUrl).then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
