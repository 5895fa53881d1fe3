package io.mpcsystem.e2e.controlplane;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mpcsystem.operator.desired.DesiredParties;
import io.mpcsystem.operator.keyset.PartyObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Stands in on loopback for the parties' {@code GET /api/v1/keyshares/status}, since no party runs
 * inside a kwok pod: it answers as a party that re-wrapped all its shares when its pod started, with
 * the {@code current-version} of the party's KEK Secret. The operator asks only once the real
 * StatefulSet controller has rolled the pod onto the template carrying that version. The parties'
 * own re-wrapping is tested in the keystore and party modules and in {@code ShareRefreshSystemTest}.
 */
final class PartyStatusStandIn implements AutoCloseable {
    private final HttpServer server;

    PartyStatusStandIn(KubernetesClient admin) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // /<namespace>/<party id>
        server.createContext("/", exchange -> {
            String[] path = exchange.getRequestURI().getPath().split("/");
            Secret kek = admin.secrets().inNamespace(path[1]).withName(path[2] + "-kek").get();
            String version = kek == null ? "-1" : new String(Base64.getDecoder().decode(kek.getData().get("current-version")), StandardCharsets.UTF_8);
            byte[] body = ("{\"currentKekVersion\":" + version + ",\"allUnderCurrentVersion\":true,\"sealedByKekVersion\":{\"" + version + "\":1}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    PartyObserver observer() {
        return new PartyObserver((c, i) -> URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"
                + c.getMetadata().getNamespace() + "/" + DesiredParties.partyId(c, i)));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
