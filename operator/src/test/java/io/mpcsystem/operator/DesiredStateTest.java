package io.mpcsystem.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.desired.Component;
import io.mpcsystem.operator.desired.DesiredConfigMap;
import io.mpcsystem.operator.desired.DesiredDisruptionBudgets;
import io.mpcsystem.operator.desired.DesiredServiceAccounts;
import io.mpcsystem.operator.desired.DesiredServiceMonitor;
import io.mpcsystem.operator.desired.DesiredDeployment;
import io.mpcsystem.operator.desired.DesiredNetworkPolicies;
import io.mpcsystem.operator.desired.DesiredService;
import io.mpcsystem.operator.desired.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The pure desired-state builders: given this MpcCluster, these objects. No cluster needed. */
class DesiredStateTest {
    static MpcCluster sample() throws Exception {
        MpcCluster c = Serialization.unmarshal(Files.readString(Path.of("samples/mpccluster-minimal.yaml")), MpcCluster.class);
        c.getMetadata().setNamespace("mpc");
        c.getMetadata().setUid("uid-1");
        return c;
    }

    /** The value a container would see: literal, or resolved through the cluster's ConfigMap. */
    static String resolved(MpcCluster c, EnvVar e) {
        if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
            assertThat(e.getValueFrom().getConfigMapKeyRef().getName()).isEqualTo(DesiredConfigMap.name(c));
            return DesiredConfigMap.of(c).getData().get(e.getValueFrom().getConfigMapKeyRef().getKey());
        }
        return e.getValue();
    }

    @Test
    void sampleParsesWithDefaults() throws Exception {
        MpcCluster c = sample();
        assertThat(c.getSpec().parties.count).isEqualTo(3);
        assertThat(c.getSpec().coordinator.replicas).isEqualTo(2);
        assertThat(c.getSpec().database.port).isEqualTo(5432);
        assertThat(c.getSpec().networkPolicy).isTrue();
    }

    @Test
    void coordinatorDeploymentCarriesTheSeedEnvironmentAndOwnership() throws Exception {
        MpcCluster c = sample();
        Deployment d = DesiredDeployment.of(c, Component.COORDINATOR);
        assertThat(d.getMetadata().getName()).isEqualTo("demo-coordinator");
        assertThat(d.getMetadata().getNamespace()).isEqualTo("mpc");
        assertThat(d.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("MpcCluster");
            assertThat(o.getUid()).isEqualTo("uid-1");
            assertThat(o.getController()).isTrue();
        });
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(d.getSpec().getSelector().getMatchLabels()).containsEntry(Labels.COMPONENT, "coordinator").containsEntry(Labels.INSTANCE, "demo");
        Container container = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("mpc-system/session-coordinator:0.1.0");
        Map<String, EnvVar> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(resolved(c, env.get("MPC_DATABASE_HOST"))).isEqualTo("postgres.mpc-system.svc");
        assertThat(resolved(c, env.get("LOG_LEVEL"))).isEqualTo("INFO");
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey(DesiredConfigMap.CONFIG_HASH_ANNOTATION);
        assertThat(env.get("MPC_DATABASE_PASSWORD").getValue()).as("credentials only by reference").isNull();
        assertThat(env.get("MPC_DATABASE_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("mpc-database");
        assertThat(env).containsKeys("MPC_REDIS_HOST", "MPC_REDIS_PORT").doesNotContainKey("MPC_REDIS_PASSWORD");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
    }

    @Test
    void eachComponentGetsOnlyWhatItUses() throws Exception {
        MpcCluster c = sample();
        Map<String, EnvVar> router = DesiredDeployment.of(c, Component.ROUTER).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                .stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(router).containsKey("MPC_REDIS_HOST").doesNotContainKey("MPC_DATABASE_HOST");
        Map<String, EnvVar> account = DesiredDeployment.of(c, Component.ACCOUNT_SERVICE).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                .stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(resolved(c, account.get("SESSION_COORDINATOR_ADDR"))).isEqualTo("demo-coordinator:50051");
        // the account service shares its rate limits' buckets through Redis
        assertThat(account).containsKey("MPC_REDIS_HOST").doesNotContainKey("MPC_PRESIGN_POOL_SIZE");
        Map<String, EnvVar> coordinator = DesiredDeployment.of(c, Component.COORDINATOR).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                .stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertThat(resolved(c, coordinator.get("MPC_PRESIGN_POOL_SIZE"))).as("the default pool").isEqualTo("32");
        String before = DesiredDeployment.of(c, Component.COORDINATOR).getSpec().getTemplate().getMetadata().getAnnotations()
                .get(DesiredConfigMap.CONFIG_HASH_ANNOTATION);
        c.getSpec().presignaturePoolSize = 0;
        assertThat(resolved(c, coordinator.get("MPC_PRESIGN_POOL_SIZE"))).isEqualTo("0");
        assertThat(DesiredDeployment.of(c, Component.COORDINATOR).getSpec().getTemplate().getMetadata().getAnnotations()
                .get(DesiredConfigMap.CONFIG_HASH_ANNOTATION)).as("a new pool size rolls the coordinator").isNotEqualTo(before);
    }

    @Test
    void networkPoliciesLetPartiesTalkOnlyToRouterCoordinatorAndDatabase() throws Exception {
        List<NetworkPolicy> policies = DesiredNetworkPolicies.of(sample());
        assertThat(policies).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("demo-party", "demo-coordinator", "demo-router", "demo-account");
        NetworkPolicy party = policies.stream().filter(p -> p.getMetadata().getName().equals("demo-party")).findFirst().orElseThrow();
        assertThat(party.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(party.getSpec().getIngress()).hasSize(2).allSatisfy(r -> assertThat(r.getFrom()).singleElement().satisfies(f ->
                assertThat(f.getNamespaceSelector().getMatchLabels()).as("namespaces pinned by name").containsOnlyKeys(DesiredNetworkPolicies.NAMESPACE_NAME)));
        assertThat(party.getSpec().getIngress()).filteredOn(r -> r.getPorts().get(0).getPort().getIntVal() == 8080).singleElement().satisfies(r -> {
            assertThat(r.getFrom()).extracting(f -> f.getPodSelector().getMatchLabels().get(Labels.NAME)).containsExactly("mpc-operator");
            assertThat(r.getFrom()).extracting(f -> f.getNamespaceSelector().getMatchLabels().get(DesiredNetworkPolicies.NAMESPACE_NAME)).containsExactly("mpc-operator");
        });
        assertThat(party.getSpec().getIngress()).filteredOn(r -> r.getPorts().get(0).getPort().getIntVal() == 9090).singleElement().satisfies(r -> {
            assertThat(r.getFrom()).extracting(f -> f.getPodSelector().getMatchLabels().get(Labels.NAME)).containsExactly("prometheus");
            assertThat(r.getFrom()).extracting(f -> f.getNamespaceSelector().getMatchLabels().get(DesiredNetworkPolicies.NAMESPACE_NAME)).containsExactly("monitoring");
        });
        // Prometheus reaches every component on the metrics port and nowhere else
        for (NetworkPolicy p : policies) {
            assertThat(p.getSpec().getIngress()).filteredOn(r -> r.getFrom() != null && r.getFrom().stream()
                    .anyMatch(f -> f.getPodSelector() != null && "prometheus".equals(f.getPodSelector().getMatchLabels().get(Labels.NAME))))
                    .as(p.getMetadata().getName()).singleElement().satisfies(r -> assertThat(r.getPorts()).extracting(x -> x.getPort().getIntVal()).containsExactly(9090));
        }
        var custom = DesiredNetworkPolicies.of(sample(), new DesiredNetworkPolicies.Peers("ops", "prom"));
        assertThat(Serialization.asYaml(custom)).contains("kubernetes.io/metadata.name: \"ops\"").contains("kubernetes.io/metadata.name: \"prom\"")
                .doesNotContain("\"monitoring\"");
        List<Integer> egressPorts = party.getSpec().getEgress().stream().flatMap(r -> r.getPorts().stream()).map(p -> p.getPort().getIntVal()).toList();
        assertThat(egressPorts).containsExactlyInAnyOrder(50051, 5432, 53, 53);
        assertThat(party.getSpec().getEgress()).filteredOn(r -> r.getPorts().get(0).getPort().getIntVal() == 53).singleElement()
                .satisfies(r -> assertThat(r.getTo()).singleElement().satisfies(t -> assertThat(t.getNamespaceSelector().getMatchLabels())
                        .containsEntry(DesiredNetworkPolicies.NAMESPACE_NAME, "kube-system")));
        NetworkPolicy router = policies.stream().filter(p -> p.getMetadata().getName().equals("demo-router")).findFirst().orElseThrow();
        assertThat(router.getSpec().getIngress()).filteredOn(r -> r.getPorts().get(0).getPort().getIntVal() == 50051).singleElement()
                .satisfies(r -> assertThat(r.getFrom()).extracting(f -> f.getPodSelector().getMatchLabels().get(Labels.COMPONENT)).containsExactly("party"));
        // the coordinator's REST API can ask for signatures and has no API keys: nobody but the account service, operator and Prometheus
        NetworkPolicy coordinator = policies.stream().filter(p -> p.getMetadata().getName().equals("demo-coordinator")).findFirst().orElseThrow();
        assertThat(coordinator.getSpec().getIngress()).allSatisfy(r -> assertThat(r.getFrom()).isNotEmpty());
        assertThat(coordinator.getSpec().getIngress()).filteredOn(r -> r.getPorts().get(0).getPort().getIntVal() == 8080).singleElement()
                .satisfies(r -> assertThat(r.getFrom()).extracting(f -> f.getPodSelector().getMatchLabels().getOrDefault(Labels.COMPONENT,
                        f.getPodSelector().getMatchLabels().get(Labels.NAME))).containsExactlyInAnyOrder("account", "mpc-operator"));
        NetworkPolicy account = policies.stream().filter(p -> p.getMetadata().getName().equals("demo-account")).findFirst().orElseThrow();
        assertThat(account.getSpec().getIngress()).filteredOn(r -> r.getPorts().get(0).getPort().getIntVal() == 8080).singleElement()
                .satisfies(r -> assertThat(r.getFrom()).as("the one entry point").isNullOrEmpty());
    }

    @Test
    void eachPartyHasItsOwnStatefulSetVolumeAndKeySecret() throws Exception {
        MpcCluster c = sample();
        var sets = io.mpcsystem.operator.desired.DesiredParties.statefulSets(c, Map.of(2, "abc"));
        assertThat(sets).hasSize(3).extracting(s -> s.getMetadata().getName()).containsExactly("demo-party-1", "demo-party-2", "demo-party-3");
        java.util.Set<String> secrets = new java.util.TreeSet<>();
        for (var s : sets) {
            assertThat(s.getSpec().getReplicas()).isEqualTo(1);
            Container container = s.getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, EnvVar> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
            assertThat(env.get("PARTY_ID").getValue()).isEqualTo(s.getMetadata().getName());
            assertThat(env.get("MPC_CRYPTO_MASTER_KEY").getValue()).as("keys only by reference").isNull();
            String secret = env.get("MPC_CRYPTO_MASTER_KEY").getValueFrom().getSecretKeyRef().getName();
            assertThat(env.get("MPC_CRYPTO_MASTER_KEY_PREVIOUS").getValueFrom().getSecretKeyRef().getName()).isEqualTo(secret);
            assertThat(env.get("MPC_CRYPTO_MASTER_KEY_PREVIOUS").getValueFrom().getSecretKeyRef().getOptional()).isTrue();
            secrets.add(secret);
            assertThat(resolved(c, env.get("SESSION_COORDINATOR_ADDR"))).isEqualTo("demo-coordinator:50051");
            assertThat(s.getSpec().getVolumeClaimTemplates()).singleElement()
                    .satisfies(v -> assertThat(v.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("1Gi"));
            assertThat(container.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/data/keyshares", "/tmp");
        }
        assertThat(secrets).as("one key-encryption key per party, never shared").hasSize(3);
        assertThat(sets.get(1).getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry(io.mpcsystem.operator.desired.DesiredParties.KEK_HASH_ANNOTATION, "abc");
        assertThat(io.mpcsystem.operator.desired.DesiredParties.headlessService(c).getSpec().getClusterIP()).isEqualTo("None");
    }

    @Test
    void servicesExposeTheSeedPorts() throws Exception {
        var svc = io.mpcsystem.operator.desired.DesiredService.of(sample(), Component.ROUTER);
        assertThat(svc.getMetadata().getName()).isEqualTo("demo-router");
        assertThat(svc.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(50051, 8080, 9090);
        assertThat(svc.getSpec().getPorts()).extracting(p -> p.getName()).containsExactly("grpc", "http", "metrics");
        assertThat(svc.getSpec().getSelector()).containsEntry(Labels.COMPONENT, "router");
    }

    @Test
    void configMapCarriesTheSeedSettingsAndNoCredentials() throws Exception {
        MpcCluster c = sample();
        c.getSpec().logLevel = "DEBUG";
        var cm = DesiredConfigMap.of(c);
        assertThat(cm.getMetadata().getName()).isEqualTo("demo-config");
        assertThat(cm.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
        assertThat(cm.getData()).containsEntry("LOG_LEVEL", "DEBUG").containsEntry("ENVIRONMENT", "production")
                .containsEntry("MPC_DATABASE_HOST", "postgres.mpc-system.svc").containsEntry("MPC_DATABASE_PORT", "5432")
                .containsEntry("MPC_REDIS_HOST", "redis.mpc-system.svc").containsEntry("MPC_REDIS_PORT", "6379")
                .containsEntry("MESSAGE_ROUTER_ADDR", "demo-router:50051");
        assertThat(cm.getData().keySet()).noneMatch(k -> k.contains("PASSWORD") || k.contains("MASTER_KEY") || k.contains("USER"));
        // a settings change must roll the pods that read them
        String before = DesiredDeployment.of(c, Component.ROUTER).getSpec().getTemplate().getMetadata().getAnnotations().get(DesiredConfigMap.CONFIG_HASH_ANNOTATION);
        c.getSpec().logLevel = "WARN";
        String after = DesiredDeployment.of(c, Component.ROUTER).getSpec().getTemplate().getMetadata().getAnnotations().get(DesiredConfigMap.CONFIG_HASH_ANNOTATION);
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void everyWorkloadRunsUnderItsOwnAccountWithoutAToken() throws Exception {
        MpcCluster c = sample();
        var accounts = DesiredServiceAccounts.of(c);
        assertThat(accounts).extracting(a -> a.getMetadata().getName())
                .containsExactlyInAnyOrder("demo-coordinator", "demo-router", "demo-account", "demo-party");
        assertThat(accounts).allSatisfy(a -> assertThat(a.getAutomountServiceAccountToken()).isFalse());
        for (Component component : Component.values()) {
            assertThat(DesiredDeployment.of(c, component).getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(component.name(c));
        }
        assertThat(io.mpcsystem.operator.desired.DesiredParties.statefulSets(c, Map.of()))
                .allSatisfy(s -> assertThat(s.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("demo-party"));
    }

    @Test
    void disruptionBudgetsKeepEnoughPartiesToSign() throws Exception {
        MpcCluster c = sample();
        c.getSpec().parties.count = 5;
        c.getSpec().parties.threshold = 3;
        c.getSpec().router.replicas = 1;
        var budgets = DesiredDisruptionBudgets.of(c);
        assertThat(budgets).extracting(b -> b.getMetadata().getName()).containsExactlyInAnyOrder("demo-coordinator", "demo-account", "demo-parties");
        var parties = budgets.stream().filter(b -> b.getMetadata().getName().equals("demo-parties")).findFirst().orElseThrow();
        assertThat(parties.getSpec().getMinAvailable().getIntVal()).isEqualTo(3);
        assertThat(parties.getSpec().getSelector().getMatchLabels()).containsEntry(Labels.COMPONENT, "party").doesNotContainKey(
                io.mpcsystem.operator.desired.DesiredParties.INDEX_LABEL);
    }

    @Test
    void serviceMonitorScrapesEveryComponentOfThisClusterOnly() throws Exception {
        var sm = DesiredServiceMonitor.of(sample());
        assertThat(sm.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(sm.getKind()).isEqualTo("ServiceMonitor");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) sm.getAdditionalProperties().get("spec");
        assertThat(spec.get("selector")).isEqualTo(Map.of("matchLabels", Map.of(Labels.NAME, "mpc-system", Labels.INSTANCE, "demo")));
        assertThat(Serialization.asYaml(sm)).contains("path: \"/metrics\"").contains("port: \"metrics\"");
        // every Service the cluster has carries the labels the monitor selects
        assertThat(DesiredService.of(sample(), Component.ROUTER).getMetadata().getLabels()).containsEntry(Labels.INSTANCE, "demo").containsEntry(Labels.NAME, "mpc-system");
        assertThat(io.mpcsystem.operator.desired.DesiredParties.headlessService(sample()).getMetadata().getLabels()).containsEntry(Labels.INSTANCE, "demo");
    }

    @Test
    void tlsMountsTheCertificateIntoEveryWorkloadAndProbesOverHttps() throws Exception {
        MpcCluster c = sample();
        assertThat(DesiredDeployment.of(c, Component.ROUTER).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .noneMatch(e -> e.getName().startsWith("MPC_TLS_"));
        c.getSpec().tls = true;
        c.getSpec().tlsSecret = "demo-tls";
        List<io.fabric8.kubernetes.api.model.PodSpec> pods = new java.util.ArrayList<>();
        for (Component component : Component.values()) pods.add(DesiredDeployment.of(c, component).getSpec().getTemplate().getSpec());
        io.mpcsystem.operator.desired.DesiredParties.statefulSets(c, Map.of()).forEach(s -> pods.add(s.getSpec().getTemplate().getSpec()));
        assertThat(pods).hasSize(6).allSatisfy(p -> {
            assertThat(p.getVolumes()).anySatisfy(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("demo-tls"));
            Container container = p.getContainers().get(0);
            assertThat(container.getVolumeMounts()).anySatisfy(m -> {
                assertThat(m.getMountPath()).isEqualTo("/etc/mpc/tls");
                assertThat(m.getReadOnly()).isTrue();
            });
            Map<String, EnvVar> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
            assertThat(env.get("MPC_TLS_CERT_FILE").getValue()).isEqualTo("/etc/mpc/tls/tls.crt");
            assertThat(env.get("MPC_TLS_CA_FILE").getValue()).isEqualTo("/etc/mpc/tls/ca.crt");
            assertThat(env.get("MPC_TLS_INSECURE_REQUESTS").getValue()).isEqualTo("disabled");
            assertThat(container.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
            assertThat(container.getLivenessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        });
        assertThat(Serialization.asYaml(DesiredServiceMonitor.of(c))).contains("scheme: \"https\"").contains("name: \"demo-tls\"");
        c.getSpec().tlsSecret = null;
        assertThat(io.mpcsystem.operator.reconciler.SpecCheck.problems(c.getSpec())).anySatisfy(p -> assertThat(p).contains("spec.tls needs spec.tlsSecret"));
    }
}
