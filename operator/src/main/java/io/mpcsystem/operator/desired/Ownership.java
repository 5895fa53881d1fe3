package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import java.util.Map;

/**
 * Metadata of an object the MpcCluster owns: every owned object carries a controller reference,
 * so Kubernetes garbage-collects it with the cluster and the operator's informers map it back.
 */
public final class Ownership {
    private Ownership() {
    }

    public static OwnerReference reference(MpcCluster c) {
        return new OwnerReferenceBuilder().withApiVersion(c.getApiVersion()).withKind(c.getKind()).withName(c.getMetadata().getName())
                .withUid(c.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build();
    }

    public static ObjectMeta meta(MpcCluster c, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder().withName(name).withNamespace(c.getMetadata().getNamespace()).withLabels(labels)
                .withOwnerReferences(reference(c)).build();
    }
}
