package io.mpcsystem.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Kubernetes Events on a custom resource, for what a human operator wants to see in
 * {@code kubectl describe}: transitions, refusals and failures, not every reconcile.
 */
public final class ClusterEvents {
    private final Clock clock;

    public ClusterEvents(Clock clock) {
        this.clock = clock;
    }

    public void normal(KubernetesClient client, HasMetadata about, String reason, String message) {
        record(client, about, "Normal", reason, message);
    }

    public void warning(KubernetesClient client, HasMetadata about, String reason, String message) {
        record(client, about, "Warning", reason, message);
    }

    private void record(KubernetesClient client, HasMetadata about, String type, String reason, String message) {
        String now = clock.instant().toString();
        // the name only has to be unique; it is not a secret, so a non-cryptographic random is fine
        String name = about.getMetadata().getName() + "." + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        try {
            client.v1().events().inNamespace(about.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(about.getMetadata().getNamespace()).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(about.getApiVersion()).withKind(about.getKind())
                            .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
                            .withUid(about.getMetadata().getUid()).withResourceVersion(about.getMetadata().getResourceVersion()).build())
                    .withType(type).withReason(reason).withMessage(message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("mpc-operator").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            // an event is a courtesy: losing one must not fail the reconcile that reported it
        }
    }
}
