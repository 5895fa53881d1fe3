package io.mpcsystem.operator.keyset;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.mpcsystem.operator.crd.KeySet;
import io.mpcsystem.operator.crd.KeySetStatus;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.reconciler.PartyKeyHashes;
import java.util.Map;
import java.util.TreeMap;

/** The pod-template hashes the KeySet's rotation has released, for the MpcCluster's party StatefulSets. */
public final class KeySetKeyHashes implements PartyKeyHashes {
    @Override
    public Map<Integer, String> of(KubernetesClient client, MpcCluster cluster) {
        if (cluster.getSpec().keySetRef == null) return Map.of();
        KeySet ks = client.resources(KeySet.class).inNamespace(cluster.getMetadata().getNamespace()).withName(cluster.getSpec().keySetRef).get();
        Map<Integer, String> out = new TreeMap<>();
        if (ks == null || ks.getStatus() == null || ks.getStatus().parties == null) return out;
        for (KeySetStatus.PartyKeyStatus p : ks.getStatus().parties) {
            if (p.index != null && p.podKeyHash != null) out.put(p.index, p.podKeyHash);
        }
        return out;
    }
}
