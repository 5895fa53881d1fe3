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
    void byDefaultTheOperatorWatchesItsOwnNamespaceWithARoleAndNoClusterWideSecrets() throws Exception {
        List<HasMetadata> objects = render();
        Deployment d = of(objects, Deployment.class).get(0);
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .as("the parties' NetworkPolicy admits the operator by this label").containsEntry(Labels.NAME, DesiredNetworkPolicies.OPERATOR_NAME);
        var container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("mpc-system/mpc-operator:0.1.0");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(container.getStartupProbe()).isNotNull();
        java.util.Map<String, String> env = new java.util.HashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        assertThat(env).containsEntry("MPC_OPERATOR_NAMESPACES", "mpc-operators").containsEntry("MPC_VAULT_ADDRESSES", "")
                .containsEntry("MPC_PROMETHEUS_NAMESPACE", "monitoring").containsEntry("MPC_VAULT_TOKEN_FILE", "/var/run/secrets/mpc-operator/vault/token");
        assertThat(container.getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("MPC_OPERATOR_NAMESPACE");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        });
        // the Vault login presents a short-lived token for audience "vault", never the operator's API token
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("vault-token");
            assertThat(v.getProjected().getSources()).singleElement().satisfies(src -> {
                assertThat(src.getServiceAccountToken().getAudience()).isEqualTo("vault");
                assertThat(src.getServiceAccountToken().getExpirationSeconds()).isEqualTo(600L);
            });
        });
        assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath() + "/token").isEqualTo(env.get("MPC_VAULT_TOKEN_FILE")));
        assertThat(PodSecurityRestrictedTest.restrictedViolations(d.getSpec().getTemplate().getSpec())).isEmpty();
        assertThat(d.getSpec().getTemplate().getSpec().getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
        assertThat(of(objects, io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class)).singleElement()
                .satisfies(p -> assertThat(p.getSpec().getMinAvailable().getIntVal()).isEqualTo(1));

        List<ClusterRole> clusterRoles = of(objects, ClusterRole.class);
        assertThat(clusterRoles).extracting(r -> r.getMetadata().getName()).containsExactly("ops-mpc-operator-crd-reader");
        assertThat(clusterRoles.get(0).getRules()).allSatisfy(r -> assertThat(r.getVerbs()).containsExactly("get"));
        assertThat(of(objects, Role.class)).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
                .containsExactlyInAnyOrder("mpc-operators/ops-mpc-operator", "mpc-operators/ops-mpc-operator-leader-election");
        Role main = of(objects, Role.class).stream().filter(r -> r.getMetadata().getName().equals("ops-mpc-operator")).findFirst().orElseThrow();
        assertThat(main.getRules()).filteredOn(r -> r.getResources().contains("secrets")).singleElement()
                .satisfies(r -> assertThat(r.getVerbs()).doesNotContain("delete", "*"));
        assertThat(main.getRules()).filteredOn(r -> r.getResources().contains("pods")).singleElement()
                .satisfies(r -> assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "delete"));
        assertThat(main.getRules()).filteredOn(r -> r.getResources().contains("statefulsets")).singleElement()
                .satisfies(r -> assertThat(r.getVerbs()).doesNotContain("delete"));
        assertThat(main.getRules()).filteredOn(r -> r.getResources().contains("mpcclusters")).singleElement()
                .satisfies(r -> assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch"));
        assertThat(main.getRules()).noneSatisfy(r -> assertThat(r.getVerbs()).contains("*"));
    }

    @Test
    void watchingAllNamespacesIsAnExplicitChoiceWithClusterRoles() throws Exception {
        List<HasMetadata> objects = render("watchAllNamespaces", "true");
        List<ClusterRole> clusterRoles = of(objects, ClusterRole.class);
        assertThat(clusterRoles).extracting(r -> r.getMetadata().getName()).containsExactlyInAnyOrder("ops-mpc-operator", "ops-mpc-operator-crd-reader");
        ClusterRole main = clusterRoles.stream().filter(r -> r.getMetadata().getName().equals("ops-mpc-operator")).findFirst().orElseThrow();
        assertThat(main.getRules()).anySatisfy(r -> assertThat(r.getResources()).contains("mpcclusters", "keysets"));
        assertThat(of(objects, Role.class)).singleElement().satisfies(r -> {
            assertThat(r.getMetadata().getNamespace()).isEqualTo("mpc-operators");
            assertThat(r.getRules()).singleElement().satisfies(rule -> assertThat(rule.getResources()).containsExactly("leases"));
        });
        Deployment d = of(objects, Deployment.class).get(0);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("MPC_OPERATOR_NAMESPACES="));
    }

    @Test
    void listedNamespacesGetNamespacedRolesOnly() throws Exception {
        List<HasMetadata> objects = render("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b", "vault.allowedAddresses[0]", "https://vault.vault.svc:8200");
        assertThat(of(objects, ClusterRole.class)).extracting(r -> r.getMetadata().getName()).containsExactly("ops-mpc-operator-crd-reader");
        assertThat(of(objects, Role.class)).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
                .containsExactlyInAnyOrder("team-a/ops-mpc-operator", "team-b/ops-mpc-operator", "mpc-operators/ops-mpc-operator-leader-election");
        Deployment d = of(objects, Deployment.class).get(0);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("MPC_OPERATOR_NAMESPACES=team-a,team-b"))
                .anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("MPC_VAULT_ADDRESSES=https://vault.vault.svc:8200"));
    }

    @Test
    void valuesAreCheckedAgainstTheSchema() {
        assertThat(Files.exists(CHART.resolve("values.schema.json"))).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> render("vault.allowedAddresses[0]", "http://vault:8200"))
                .hasMessageContaining("allowedAddresses");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> render("replicaCount", "0")).hasMessageContaining("replicaCount");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> render("watchNamespace[0]", "typo")).isInstanceOf(Exception.class);
    }

    @Test
    void alertsDashboardAndNetworkPolicyWhenAskedFor() throws Exception {
        assertThat(render()).noneMatch(o -> o.getKind().equals("PrometheusRule") || o.getKind().equals("NetworkPolicy")
                || o.getMetadata().getName().endsWith("-dashboard"));
        List<HasMetadata> objects = render("monitoring.prometheusRule.enabled", "true", "monitoring.grafanaDashboard.enabled", "true",
                "networkPolicy.enabled", "true");
        HasMetadata rule = objects.stream().filter(o -> o.getKind().equals("PrometheusRule")).findFirst().orElseThrow();
        String ruleYaml = Serialization.asYaml(rule);
        assertThat(ruleYaml).contains("MpcKeyRotationFailed").contains("MpcPartyDown").contains("MpcSessionFailureRate")
                .contains(io.mpcsystem.operator.keyset.KeySetMetrics.ROTATION_FAILED).contains("mpc_sessions_failed_total")
                .contains("{{ $labels.namespace }}");
        var dashboard = of(objects, io.fabric8.kubernetes.api.model.ConfigMap.class).stream().filter(c -> c.getMetadata().getName().endsWith("-dashboard"))
                .findFirst().orElseThrow();
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dashboard.getData().get("mpc-system.json"));
        assertThat(json.path("panels").size()).isGreaterThanOrEqualTo(5);
        assertThat(json.toString()).contains("mpc_sessions_created_total").contains("mpc_presignatures_ready").contains("mpc_router_envelopes_published_total");
        var policy = of(objects, io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class).get(0);
        assertThat(policy.getSpec().getEgress()).anySatisfy(e -> assertThat(e.getPorts()).anySatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8200)));
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(i -> assertThat(i.getFrom()).singleElement()
                .satisfies(f -> assertThat(f.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "monitoring")));
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
