package io.mpcsystem.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.mpcsystem.operator.desired.DesiredNetworkPolicies;
import io.mpcsystem.operator.desired.Labels;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The operator's Helm chart, linted and rendered by Helm itself (helm-java, no helm binary needed). */
class HelmChartTest {
    private static final Path CHART = Path.of("../helm/mpc-operator");

    private static List<HasMetadata> render(String... sets) throws Exception {
        var template = new Helm(CHART).template().withName("ops").withNamespace("mpc-operators");
        for (int i = 0; i < sets.length; i += 2) template = template.set(sets[i], sets[i + 1]);
        String yaml = template.call();
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.lines().noneMatch(l -> l.startsWith("kind:"))) continue;
            out.add(Serialization.unmarshal(new ByteArrayInputStream(doc.getBytes(StandardCharsets.UTF_8))));
        }
        return out;
    }

    private static <T extends HasMetadata> List<T> of(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void chartLintsCleanly() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    }

    @Test
    void watchingAllNamespacesUsesClusterRolesAndTwoLeaderElectedReplicas() throws Exception {
        List<HasMetadata> objects = render();
        Deployment d = of(objects, Deployment.class).get(0);
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .as("the parties' NetworkPolicy admits the operator by this label").containsEntry(Labels.NAME, DesiredNetworkPolicies.OPERATOR_NAME);
        var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("mpc-system/mpc-operator:0.1.0");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(container.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("MPC_OPERATOR_NAMESPACES");
            assertThat(e.getValue()).isEmpty();
        });
        List<ClusterRole> clusterRoles = of(objects, ClusterRole.class);
        assertThat(clusterRoles).extracting(r -> r.getMetadata().getName()).containsExactlyInAnyOrder("ops-mpc-operator", "ops-mpc-operator-crd-reader");
        ClusterRole main = clusterRoles.stream().filter(r -> r.getMetadata().getName().equals("ops-mpc-operator")).findFirst().orElseThrow();
        assertThat(main.getRules()).anySatisfy(r -> assertThat(r.getResources()).contains("mpcclusters", "keysets"));
        assertThat(main.getRules()).anySatisfy(r -> assertThat(r.getResources()).contains("statefulsets"));
        // the Lease for leader election is namespaced, in the operator's own namespace
        assertThat(of(objects, Role.class)).singleElement().satisfies(r -> {
            assertThat(r.getMetadata().getNamespace()).isEqualTo("mpc-operators");
            assertThat(r.getRules()).singleElement().satisfies(rule -> assertThat(rule.getResources()).containsExactly("leases"));
        });
    }

    @Test
    void listedNamespacesGetNamespacedRolesOnly() throws Exception {
        List<HasMetadata> objects = render("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b");
        assertThat(of(objects, ClusterRole.class)).extracting(r -> r.getMetadata().getName()).containsExactly("ops-mpc-operator-crd-reader");
        assertThat(of(objects, Role.class)).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
                .containsExactlyInAnyOrder("team-a/ops-mpc-operator", "team-b/ops-mpc-operator", "mpc-operators/ops-mpc-operator-leader-election");
        Deployment d = of(objects, Deployment.class).get(0);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("MPC_OPERATOR_NAMESPACES=team-a,team-b"));
    }

    @Test
    void chartShipsExactlyTheGeneratedCrds() throws Exception {
        try (Stream<Path> generated = Files.list(Path.of("../crds")); Stream<Path> shipped = Files.list(CHART.resolve("crds"))) {
            List<String> g = generated.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(shipped.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(g);
            for (String name : g) {
                assertThat(Files.readString(CHART.resolve("crds").resolve(name)))
                        .as("helm/mpc-operator/crds/%s differs from crds/%s: cp crds/*.yml helm/mpc-operator/crds/", name, name)
                        .isEqualTo(Files.readString(Path.of("../crds", name)));
            }
        }
    }
}
