package io.mpcsystem.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.mpcsystem.operator.crd.MpcCluster;
import java.util.Map;

/**
 * Where the MpcCluster learns each party's key-version hash for its pod template. The KeySet's
 * rotation owns these values; the MpcCluster only carries them, so that its reconcile never
 * rolls a party the rotation has not released.
 */
@FunctionalInterface
public interface PartyKeyHashes {
    /** Party index to hash; a party missing from the map gets an empty hash. */
    Map<Integer, String> of(KubernetesClient client, MpcCluster cluster);
}
