package io.mpcsystem.operator.keyset;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.desired.DesiredParties;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the kubelet and the server parties against the mock API server: when a party's
 * pod template changes it "restarts" the party, which reads its key Secret and, like the real
 * server party, re-wraps its shares from the previous to the current key, or refuses to start
 * when neither opens them. It reports ready in the StatefulSet's status and serves the party's
 * {@code /api/v1/keyshares/status} over loopback HTTP.
 */
final class SimulatedKubelet implements AutoCloseable {
    /** What one simulated party pod runs with. */
    record Pod(String template, Integer currentVersion, Integer sharesVersion, boolean ready) {
    }

    private final KubernetesClient client;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated-kubelet");
        t.setDaemon(true);
        return t;
    });
    private final HttpServer server;
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final Set<String> broken = ConcurrentHashMap.newKeySet();
    private final List<String> restarts = new CopyOnWriteArrayList<>();

    SimulatedKubelet(KubernetesClient client) throws IOException {
        this.client = client;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", x -> {
            try (x) {
                String name = x.getRequestURI().getPath().substring(1);
                Pod p = pods.get(name);
                byte[] body;
                int code;
                if (p == null || !p.ready()) {
                    code = 503;
                    body = "{\"title\":\"party not started\"}".getBytes(StandardCharsets.UTF_8);
                } else {
                    code = 200;
                    body = ("{\"partyId\":\"" + name + "\",\"currentKekVersion\":" + p.currentVersion() + ",\"sealedByKekVersion\":{\""
                            + p.sharesVersion() + "\":2},\"allUnderCurrentVersion\":" + p.sharesVersion().equals(p.currentVersion())
                            + ",\"rewrappedAtStart\":0}").getBytes(StandardCharsets.UTF_8);
                }
                x.getResponseHeaders().set("Content-Type", "application/json");
                x.sendResponseHeaders(code, body.length);
                try (OutputStream out = x.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        loop.scheduleWithFixedDelay(this::tick, 50, 100, TimeUnit.MILLISECONDS);
    }

    URI statusUri(MpcCluster c, int party) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + DesiredParties.partyId(c, party));
    }

    /** The party's pod fails to become ready from its next restart on. */
    void breakParty(String partyId) {
        broken.add(partyId);
    }

    /** The party is fixed: its next restart works. */
    void fixParty(String partyId) {
        broken.remove(partyId);
    }

    /** Every restart so far, in order, as party ids. */
    List<String> restarts() {
        return new ArrayList<>(restarts);
    }

    Pod pod(String partyId) {
        return pods.get(partyId);
    }

    private void tick() {
        try {
            for (StatefulSet s : client.apps().statefulSets().inAnyNamespace().withLabel(DesiredParties.INDEX_LABEL).list().getItems()) {
                String name = s.getMetadata().getName();
                String template = String.valueOf(s.getSpec().getTemplate().getMetadata().getAnnotations());
                Pod before = pods.get(name);
                if (before != null && before.template().equals(template) && s.getStatus() != null && s.getStatus().getReadyReplicas() != null) continue;
                Pod after = restart(s, before, template);
                pods.put(name, after);
                if (before == null || !before.template().equals(template)) restarts.add(name);
                s.setStatus(new StatefulSetStatusBuilder().withReplicas(1).withReadyReplicas(after.ready() ? 1 : 0)
                        .withObservedGeneration(s.getMetadata().getGeneration()).withCurrentRevision(template.hashCode() + "")
                        .withUpdateRevision(template.hashCode() + "").build());
                client.apps().statefulSets().inNamespace(s.getMetadata().getNamespace()).resource(s).updateStatus();
            }
        } catch (RuntimeException e) {
            // a conflicting write with the operator: the next tick looks again
        }
    }

    /** What the server party does at start-up with its Secret (see PartyBootstrap). */
    private Pod restart(StatefulSet s, Pod before, String template) {
        Integer shares = before == null ? null : before.sharesVersion();
        if (broken.contains(s.getMetadata().getName())) return new Pod(template, null, shares, false);
        Secret secret = client.secrets().inNamespace(s.getMetadata().getNamespace()).withName(s.getMetadata().getName() + "-kek").get();
        if (secret == null || secret.getData() == null || !secret.getData().containsKey("current")) return new Pod(template, null, shares, false);
        int current = Integer.parseInt(decode(secret.getData().get("current-version")));
        Integer previous = secret.getData().containsKey("previous-version") ? Integer.valueOf(decode(secret.getData().get("previous-version"))) : null;
        if (shares == null || shares == current || shares.equals(previous)) return new Pod(template, current, current, true);
        // neither key opens the shares: the real party refuses to start and touches nothing
        return new Pod(template, current, shares, false);
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        loop.shutdownNow();
        server.stop(0);
    }
}
