package io.mpcsystem.account;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Unauthenticated requests are counted under one fixed uri label, so made-up paths cannot grow the metrics. */
@QuarkusTest
@WithTestResource(MpcTestResources.class)
class MetricsLabelTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metricsUrl;

    private static final Pattern URI = Pattern.compile("uri=\"([^\"]*)\"");

    @Test
    void manyUnknownPathsWithoutAKeyYieldOneLabel() {
        for (int i = 0; i < 25; i++) {
            given().get("/api/v1/made-up-" + UUID.randomUUID()).then().statusCode(401);
            given().header("X-API-Key", "wrong-" + i).get("/api/v1/accounts/" + UUID.randomUUID()).then().statusCode(401);
        }
        String metrics = given().get(metricsUrl).then().statusCode(200).extract().asString();
        Set<String> uris = new TreeSet<>();
        for (String line : metrics.split("\n")) {
            if (!line.startsWith("http_server_requests_seconds_count{") || !line.contains("status=\"401\"")) continue;
            Matcher m = URI.matcher(line);
            if (m.find()) uris.add(m.group(1));
        }
        assertThat(uris).containsExactly(ApiKeyFilter.UNAUTHENTICATED_LABEL);
        assertThat(metrics).doesNotContain("made-up-");
    }
}
