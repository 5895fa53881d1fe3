package io.mpcsystem.e2e.controlplane;

import static io.mpcsystem.e2e.controlplane.Clusters.condition;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.keyset.PartyObserver;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The chart's {@code watchAllNamespaces} mode: ClusterRoles instead of Roles, clusters in any namespace. */
@Tag("controlplane")
@ExtendWith(ControlPlaneExtension.class)
class RealControlPlaneWatchAllTest {
    private static KubernetesClient admin;
    private static ChartOperator operator;

    @BeforeAll
    static void install(ControlPlane cp) {
        admin = cp.admin();
        Clusters.persistentVolumes(admin, "pv-all", 6);
        for (String ns : new String[] {"team-a", "team-b"}) Clusters.restrictedNamespace(admin, ns);
        operator = ChartOperator.install(cp, "mpc-operator", "mpc-system", ChartOperator.Values.watchingAll(), PartyObserver.inCluster());
    }

    @AfterAll
    static void uninstall() {
        for (String ns : new String[] {"team-a", "team-b"}) new Clusters(admin, ns).deleteAll();
        if (operator != null) operator.close();
    }

    @Test
    void clustersInAnyNamespaceBecomeReadyWithClusterWideRights() {
        assertThat(admin.rbac().clusterRoles().withName("mpc-operator").get()).as("watchAllNamespaces grants a ClusterRole").isNotNull();
        assertThat(admin.rbac().roles().inNamespace("team-a").withName("mpc-operator").get()).isNull();
        new Clusters(admin, "team-a").createMinimal("a");
        new Clusters(admin, "team-b").createMinimal("b");
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            for (String[] c : new String[][] {{"team-a", "a"}, {"team-b", "b"}}) {
                MpcCluster now = new Clusters(admin, c[0]).get(c[1]);
                assertThat(condition(now, "Ready")).as("%s/%s: %s", c[0], c[1], now.getStatus() == null ? null : now.getStatus().conditions).isEqualTo("True");
            }
        });
    }
}
