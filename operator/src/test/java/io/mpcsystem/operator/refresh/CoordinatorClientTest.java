package io.mpcsystem.operator.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The coordinator's REST API as the operator reads it, over real HTTP, including its refusals. */
@io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient(crud = true)
class CoordinatorClientTest {
    static io.fabric8.kubernetes.client.KubernetesClient k8s;

    private static CoordinatorClient client(URI base) {
        HttpClient http = HttpClient.newHttpClient();
        return new CoordinatorClient(base, () -> http);
    }

    @Test
    void listsKeysStartsRefreshesAndReadsTheirOutcome() throws Exception {
        try (CoordinatorHttpServer server = new CoordinatorHttpServer(new InMemoryCoordinator("key-a", "key-b", "key c/&"), 2)) {
            CoordinatorClient c = client(server.uri());
            assertThat(c.keys(null, 2)).containsExactly("key c/&", "key-a");
            assertThat(c.keys("key c/&", 10)).as("after is URL-encoded").containsExactly("key-a", "key-b");
            assertThat(c.keys("key-b", 10)).isEmpty();

            RefreshCoordinator.StartResult first = c.start("key-a");
            assertThat(first).isInstanceOf(RefreshCoordinator.Started.class);
            String id = ((RefreshCoordinator.Started) first).sessionId();
            assertThat(c.start("key-a")).isInstanceOf(RefreshCoordinator.Busy.class)
                    .extracting(r -> ((RefreshCoordinator.Busy) r).reason()).asString().contains("being refreshed by session " + id);
            assertThat(c.start("nope")).isInstanceOf(RefreshCoordinator.NoSuchKey.class);

            assertThat(c.session(id).status()).isEqualTo("RUNNING");
            RefreshCoordinator.SessionState done = c.session(id);
            assertThat(done.completed()).isTrue();
            assertThat(done.failureReason()).isNull();

            server.failing.add("key-b");
            String second = ((RefreshCoordinator.Started) c.start("key-b")).sessionId();
            c.session(second);
            RefreshCoordinator.SessionState failed = c.session(second);
            assertThat(failed.failed()).isTrue();
            assertThat(failed.failureReason()).isEqualTo("party-3 sent an invalid proof");
            assertThat(failed.culprit()).isEqualTo("party-3");

            assertThatThrownBy(() -> c.session("no-such-session")).isInstanceOf(RefreshCoordinator.Unavailable.class).hasMessageContaining("HTTP 404");
        }
    }

    @Test
    void theOperatorSendsItsCallerTokenAndNeverPutsItInAnError() throws Exception {
        String token = "tok_" + "A".repeat(39);
        try (CoordinatorHttpServer server = new CoordinatorHttpServer(new InMemoryCoordinator("key-a"), 2)) {
            HttpClient http = HttpClient.newHttpClient();
            CoordinatorClient c = new CoordinatorClient(server.uri(), () -> http, () -> java.util.Optional.of(token));
            c.keys(null, 1);
            assertThat(server.authorization).isEqualTo("Bearer " + token);
            c.start("key-a");
            assertThat(server.authorization).isEqualTo("Bearer " + token);
            client(server.uri()).keys(null, 1);
            assertThat(server.authorization).as("no token, no header").isNull();
            assertThatThrownBy(() -> c.session("missing")).isInstanceOf(RefreshCoordinator.Unavailable.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
        }
    }

    @Test
    void theOperatorsTokenIsReadFromTheCallerTokensSecret() throws Exception {
        io.mpcsystem.operator.crd.MpcCluster c = io.mpcsystem.operator.DesiredStateTestAccess.sample();
        var secret = io.mpcsystem.operator.desired.ClusterSecrets.callerTokensSecret(c, new java.security.SecureRandom());
        String expected = new String(java.util.Base64.getDecoder().decode(secret.getData().get("operator")), StandardCharsets.UTF_8);
        assertThat(CoordinatorClient.operatorToken(k8s, c)).isEmpty();
        k8s.secrets().inNamespace("mpc").resource(secret).create();
        assertThat(CoordinatorClient.operatorToken(k8s, c)).contains(expected);
    }

    @Test
    void anAnswerThatMakesNoSenseOrNoAnswerIsUnavailableNotACrash() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            byte[] body = (x.getRequestURI().getPath().equals("/api/v1/sessions") ? "{\"id\":\"../../etc\"}" : "<html>oops</html>")
                    .getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(x.getRequestURI().getPath().equals("/api/v1/sessions") ? 201 : 200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        try {
            CoordinatorClient c = client(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
            assertThatThrownBy(() -> c.keys(null, 1)).isInstanceOf(RefreshCoordinator.Unavailable.class).hasMessageContaining("not JSON");
            assertThatThrownBy(() -> c.start("k")).isInstanceOf(RefreshCoordinator.Unavailable.class).hasMessageContaining("unusable session id");
        } finally {
            server.stop(0);
        }
        CoordinatorClient gone = client(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
        assertThatThrownBy(() -> gone.keys(null, 1)).isInstanceOf(RefreshCoordinator.Unavailable.class).hasMessageContaining("ConnectException");
    }
}
