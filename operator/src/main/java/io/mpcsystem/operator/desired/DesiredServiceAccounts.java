package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * One ServiceAccount per workload, with no token mounted and no Role bound: none of the workloads
 * calls the Kubernetes API (the parties learn of sessions from the coordinator, and only the
 * operator reads Secrets), so the least RBAC each needs is none. Separate accounts still matter:
 * they name the workload to admission policies, to Vault and to audit logs.
 */
public final class DesiredServiceAccounts {
    private DesiredServiceAccounts() {
    }

    public static String party(MpcCluster c) {
        return c.getMetadata().getName() + "-party";
    }

    public static List<ServiceAccount> of(MpcCluster c) {
        List<ServiceAccount> out = new ArrayList<>();
        for (Component component : Component.values()) out.add(account(c, component.name(c), component.label()));
        out.add(account(c, party(c), DesiredParties.COMPONENT));
        return out;
    }

    private static ServiceAccount account(MpcCluster c, String name, String component) {
        return new ServiceAccountBuilder().withMetadata(Ownership.meta(c, name, Labels.all(c, component)))
                .withAutomountServiceAccountToken(false).build();
    }
}
