package io.mpcsystem.operator.keyset;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.desired.DesiredParties;
import io.mpcsystem.operator.desired.Labels;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Secret one party reads its key-encryption key(s) from, mounted into that party only:
 * {@code current} and {@code current-version}, and during a rotation {@code previous} and
 * {@code previous-version} (the party re-wraps its shares from previous to current at start-up).
 * No owner reference: deleting a custom resource must never delete a party's key.
 */
public final class PartyKekSecret {
    private PartyKekSecret() {
    }

    public static Secret of(MpcCluster c, int party, PartyKey current, int currentVersion, PartyKey previous, Integer previousVersion) {
        Map<String, String> data = new TreeMap<>();
        data.put("current", SecretValues.encode(current.hex()));
        data.put("current-version", SecretValues.encode(String.valueOf(currentVersion)));
        if (previous != null) {
            data.put("previous", SecretValues.encode(previous.hex()));
            data.put("previous-version", SecretValues.encode(String.valueOf(previousVersion)));
        }
        Map<String, String> labels = new TreeMap<>(Labels.all(c, DesiredParties.COMPONENT));
        labels.put(DesiredParties.INDEX_LABEL, String.valueOf(party));
        return new SecretBuilder().withNewMetadata().withName(DesiredParties.kekSecret(c, party)).withNamespace(c.getMetadata().getNamespace())
                .withLabels(labels).endMetadata().withType("Opaque").withData(data).build();
    }
}
