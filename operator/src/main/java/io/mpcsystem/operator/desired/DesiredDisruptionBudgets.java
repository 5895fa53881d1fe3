package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PodDisruptionBudgets, so that a node drain never takes the cluster below what signing needs.
 * Parties: one budget over all party pods with minAvailable = threshold, so a drain may take up
 * to n - t parties at once and signing goes on (for t = n no voluntary eviction is possible, which
 * is the truth for such a cluster: any missing party stops signing). Stateless components keep at
 * least one pod when they run more than one.
 */
public final class DesiredDisruptionBudgets {
    private DesiredDisruptionBudgets() {
    }

    public static List<PodDisruptionBudget> of(MpcCluster c) {
        List<PodDisruptionBudget> out = new ArrayList<>();
        for (Component component : Component.values()) {
            if (component.settings(c.getSpec()).replicas >= 2) out.add(budget(c, component.name(c), component.label(), component.selector(c), 1));
        }
        out.add(budget(c, c.getMetadata().getName() + "-parties", DesiredParties.COMPONENT, Labels.selector(c, DesiredParties.COMPONENT),
                c.getSpec().parties.threshold));
        return out;
    }

    private static PodDisruptionBudget budget(MpcCluster c, String name, String component, Map<String, String> selector, int minAvailable) {
        return new PodDisruptionBudgetBuilder().withMetadata(Ownership.meta(c, name, Labels.all(c, component)))
                .withNewSpec().withMinAvailable(new IntOrString(minAvailable)).withNewSelector().withMatchLabels(selector).endSelector().endSpec()
                .build();
    }
}
