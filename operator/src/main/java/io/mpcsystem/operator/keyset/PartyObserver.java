package io.mpcsystem.operator.keyset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.desired.DesiredDeployment;
import io.mpcsystem.operator.desired.DesiredParties;
import io.mpcsystem.operator.desired.WorkloadTls;
import java.security.GeneralSecurityException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Looks at one party during a rollout: has its StatefulSet rolled the released template and is
 * the pod ready, and what does the party itself report over
 * {@code GET /api/v1/keyshares/status} about the key versions its shares are wrapped by.
 */
public final class PartyObserver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BiFunction<MpcCluster, Integer, URI> statusUri;

    public PartyObserver(BiFunction<MpcCluster, Integer, URI> statusUri) {
        this.statusUri = statusUri;
    }

    /** The party pod's stable DNS name through the cluster's headless Service. */
    public static PartyObserver inCluster() {
        return new PartyObserver((c, i) -> URI.create((WorkloadTls.on(c) ? "https://" : "http://") + DesiredParties.partyId(c, i) + "-0." + c.getMetadata().getName() + "-parties."
                + c.getMetadata().getNamespace() + ".svc:" + DesiredDeployment.HTTP_PORT + "/api/v1/keyshares/status"));
    }

    /** Where party {@code party}'s key-share status is asked for. */
    public URI statusUri(MpcCluster c, int party) {
        return statusUri.apply(c, party);
    }

    public PartyObservation observe(KubernetesClient client, MpcCluster c, int party, String releasedHash) {
        StatefulSet s = client.apps().statefulSets().inNamespace(c.getMetadata().getNamespace()).withName(DesiredParties.partyId(c, party)).get();
        if (s == null) return new PartyObservation(false, null, "its StatefulSet does not exist");
        Map<String, String> annotations = s.getSpec().getTemplate().getMetadata().getAnnotations();
        if (annotations == null || !releasedHash.equals(annotations.get(DesiredParties.KEK_HASH_ANNOTATION))) {
            return new PartyObservation(false, null, "its pod template does not carry the new key version yet");
        }
        var st = s.getStatus();
        long generation = s.getMetadata().getGeneration() == null ? 0 : s.getMetadata().getGeneration();
        if (st == null || st.getObservedGeneration() == null || st.getObservedGeneration() < generation) {
            return new PartyObservation(false, null, "the StatefulSet controller has not seen the new template yet");
        }
        if (st.getUpdateRevision() != null && !Objects.equals(st.getUpdateRevision(), st.getCurrentRevision())) {
            return new PartyObservation(false, null, "its pod is being replaced");
        }
        if (st.getReadyReplicas() == null || st.getReadyReplicas() < 1) return new PartyObservation(false, null, "its pod is not ready");
        return report(client, c, party);
    }

    private PartyObservation report(KubernetesClient client, MpcCluster c, int party) {
        URI uri = statusUri.apply(c, party);
        try {
            HttpResponse<String> r = WorkloadHttp.client(client, c).send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) return new PartyObservation(true, null, "its key-share status answers HTTP " + r.statusCode());
            JsonNode body = JSON.readTree(r.body());
            int current = body.path("currentKekVersion").asInt(-1);
            if (!body.path("allUnderCurrentVersion").asBoolean(false)) {
                StringBuilder counts = new StringBuilder();
                for (Iterator<Map.Entry<String, JsonNode>> it = body.path("sealedByKekVersion").fields(); it.hasNext(); ) {
                    var e = it.next();
                    counts.append(counts.length() == 0 ? "" : ", ").append(e.getValue().asInt()).append(" under version ").append(e.getKey());
                }
                return new PartyObservation(true, null, "it still holds shares under other key versions (" + counts + ")");
            }
            return new PartyObservation(true, current, "all shares under version " + current);
        } catch (IOException | GeneralSecurityException e) {
            return new PartyObservation(true, null, "its key-share status is unreachable (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PartyObservation(true, null, "interrupted");
        }
    }
}
