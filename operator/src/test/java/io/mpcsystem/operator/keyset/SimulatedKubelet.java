package io.mpcsystem.operator.keyset;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.PodBuilder;
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
 * Stands in for the StatefulSet controller, the kubelet and the server parties against the mock
 * API server. Like the real StatefulSet controller (RollingUpdate, OrderedReady, one replica): the
 * pod {@code <sts>-0} carries a {@code controller-revision-hash}; a new template replaces a
 * <em>ready</em> pod, but a pod that never became ready is left alone and the rollout waits
 * forever (kubernetes/kubernetes#67250) until someone deletes it; a deleted pod is recreated from
 * the current template; status reports observedGeneration, current and update revisions and
 * readiness. The party in the pod reads its key Secret and, like the real server party, re-wraps
 * its shares from the previous to the current key, or refuses to start when neither opens them.
 * It serves the party's {@code /api/v1/keyshares/status} over loopback HTTP.
 */
final class SimulatedKubelet implements AutoCloseable {
    /** What one simulated party pod runs with. */
    record Pod(String template, Integer currentVersion, Integer sharesVersion, boolean ready, boolean doomed) {
        Pod(String template, Integer currentVersion, Integer sharesVersion, boolean ready) {
            this(template, currentVersion, sharesVersion, ready, false);
        }
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
    /** Pods the operator deleted while they were stuck, as party ids. */
    private final List<String> stuckDeleted = new CopyOnWriteArrayList<>();

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

    /** Party ids whose stuck pod was deleted (by the operator) and recreated. */
    List<String> stuckDeleted() {
        return new ArrayList<>(stuckDeleted);
    }

    Pod pod(String partyId) {
        return pods.get(partyId);
    }

    private static String revision(StatefulSet s) {
        return Integer.toHexString(String.valueOf(s.getSpec().getTemplate()).hashCode());
    }

    private void tick() {
        try {
            for (StatefulSet s : client.apps().statefulSets().inAnyNamespace().withLabel(DesiredParties.INDEX_LABEL).list().getItems()) {
                String ns = s.getMetadata().getNamespace();
                String name = s.getMetadata().getName();
                String template = String.valueOf(s.getSpec().getTemplate().getMetadata().getAnnotations());
                String rev = revision(s);
                var pod = client.pods().inNamespace(ns).withName(name + "-0").get();
                Pod before = pods.get(name);
                String podRev = pod == null || pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("controller-revision-hash");
                boolean podReady = before != null && before.ready();
                if (pod == null || (!rev.equals(podRev) && podReady)) {
                    if (pod != null) client.pods().inNamespace(ns).withName(name + "-0").delete();
                    else if (before != null && !before.ready()) stuckDeleted.add(name);
                    Pod after = restart(s, before == null ? null : new Pod(before.template(), before.currentVersion(), before.sharesVersion(), before.ready()), template);
                    pods.put(name, after);
                    restarts.add(name);
                    client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name + "-0").withNamespace(ns)
                            .addToLabels("controller-revision-hash", rev).endMetadata()
                            .withNewStatus().addNewCondition().withType("Ready").withStatus(after.ready() ? "True" : "False").endCondition().endStatus()
                            .build()).create();
                    podRev = rev;
                }
                // a pod on an older revision that is not ready stays as it is: the rollout is stuck (#67250);
                // the kubelet restarts its container, which may now find its Secret, unless the pod itself is bad
                Pod now = pods.get(name);
                if (now != null && !now.ready() && !now.doomed()) {
                    now = restart(s, now, now.template());
                    pods.put(name, now);
                }
                boolean ready = now != null && now.ready();
                var st = s.getStatus();
                boolean same = st != null && rev.equals(st.getUpdateRevision()) && podRev.equals(st.getCurrentRevision())
                        && st.getObservedGeneration() != null && st.getObservedGeneration().equals(s.getMetadata().getGeneration())
                        && st.getReadyReplicas() != null && st.getReadyReplicas() == (ready ? 1 : 0);
                if (same) continue;
                s.setStatus(new StatefulSetStatusBuilder().withReplicas(1).withReadyReplicas(ready ? 1 : 0)
                        .withObservedGeneration(s.getMetadata().getGeneration()).withCurrentRevision(podRev).withUpdateRevision(rev)
                        .withUpdatedReplicas(rev.equals(podRev) ? 1 : 0).build());
                client.apps().statefulSets().inNamespace(ns).resource(s).updateStatus();
            }
        } catch (RuntimeException e) {
            // a conflicting write with the operator: the next tick looks again
        }
    }

    /** What the server party does at start-up with its Secret (see PartyBootstrap). */
    private Pod restart(StatefulSet s, Pod before, String template) {
        Integer shares = before == null ? null : before.sharesVersion();
        // a pod made while its party is broken stays broken (a bad image, a bad setting): only a new pod gets a new chance
        if (before != null && before.doomed()) return before;
        if (broken.contains(s.getMetadata().getName())) return new Pod(template, null, shares, false, true);
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
