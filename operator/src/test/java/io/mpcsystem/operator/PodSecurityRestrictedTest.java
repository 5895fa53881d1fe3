package io.mpcsystem.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.crd.MpcClusterSpec;
import io.mpcsystem.operator.desired.Component;
import io.mpcsystem.operator.desired.DesiredDeployment;
import io.mpcsystem.operator.desired.DesiredParties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every pod the operator builds against the PodSecurity "restricted" profile (Kubernetes Pod
 * Security Standards, v1.30), and against what makes the images actually start with a read-only
 * root filesystem: a writable /tmp with java.io.tmpdir on it.
 */
class PodSecurityRestrictedTest {
    /** Volume types the restricted profile allows. */
    private static final Set<String> ALLOWED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim",
            "projected", "secret");

    static Map<String, PodTemplateSpec> templates(MpcCluster c) {
        Map<String, PodTemplateSpec> out = new LinkedHashMap<>();
        for (Component component : Component.values()) out.put(component.name(c), DesiredDeployment.of(c, component).getSpec().getTemplate());
        DesiredParties.statefulSets(c, Map.of()).forEach(s -> out.put(s.getMetadata().getName(), s.getSpec().getTemplate()));
        return out;
    }

    /** What the restricted profile rejects, as the admission controller would name it; empty when admitted. */
    static List<String> restrictedViolations(PodSpec pod) {
        List<String> out = new ArrayList<>();
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID()) || Boolean.TRUE.equals(pod.getHostIPC())) out.add("host namespaces");
        for (Volume v : pod.getVolumes() == null ? List.<Volume>of() : pod.getVolumes()) {
            Map<String, Object> json = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().convertValue(v, Map.class);
            for (String key : json.keySet()) if (!key.equals("name") && !ALLOWED_VOLUMES.contains(key)) out.add("volume type " + key);
        }
        var psc = pod.getSecurityContext();
        String podSeccomp = psc == null || psc.getSeccompProfile() == null ? null : psc.getSeccompProfile().getType();
        Boolean podNonRoot = psc == null ? null : psc.getRunAsNonRoot();
        if (psc != null && psc.getRunAsUser() != null && psc.getRunAsUser() == 0) out.add("pod runAsUser 0");
        if (psc != null && psc.getSysctls() != null && !psc.getSysctls().isEmpty()) out.add("sysctls");
        List<Container> all = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) all.addAll(pod.getInitContainers());
        for (Container c : all) {
            var sc = c.getSecurityContext();
            String n = c.getName() + ": ";
            if (sc == null) {
                out.add(n + "no securityContext");
                continue;
            }
            if (Boolean.TRUE.equals(sc.getPrivileged())) out.add(n + "privileged");
            if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) out.add(n + "allowPrivilegeEscalation != false");
            if (sc.getCapabilities() == null || sc.getCapabilities().getDrop() == null || !sc.getCapabilities().getDrop().contains("ALL")) out.add(n + "capabilities not dropping ALL");
            if (sc.getCapabilities() != null && sc.getCapabilities().getAdd() != null
                    && sc.getCapabilities().getAdd().stream().anyMatch(a -> !a.equals("NET_BIND_SERVICE"))) out.add(n + "capabilities added");
            Boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podNonRoot;
            if (!Boolean.TRUE.equals(nonRoot)) out.add(n + "runAsNonRoot != true");
            if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) out.add(n + "runAsUser 0");
            String seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType() : podSeccomp;
            if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) out.add(n + "seccompProfile " + seccomp);
            if (c.getPorts() != null && c.getPorts().stream().anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0)) out.add(n + "hostPort");
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyPodIsAdmittedUnderRestrictedAndCanWriteWhatItMust(boolean tls) throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        c.getSpec().tls = tls;
        c.getSpec().tlsSecret = tls ? "demo-tls" : null;
        Map<String, PodTemplateSpec> templates = templates(c);
        assertThat(templates).hasSize(6);
        templates.forEach((name, t) -> {
            PodSpec pod = t.getSpec();
            assertThat(restrictedViolations(pod)).as(name).isEmpty();
            assertThat(pod.getSecurityContext().getFsGroup()).as(name + ": the volume is writable by uid 10001").isEqualTo(10001L);
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
            assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30L);
            Container container = pod.getContainers().get(0);
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            // /tmp is a writable emptyDir, and the JVM and Vert.x write there
            assertThat(container.getVolumeMounts()).anySatisfy(m -> {
                assertThat(m.getMountPath()).isEqualTo("/tmp");
                assertThat(m.getReadOnly()).isNotEqualTo(Boolean.TRUE);
                assertThat(pod.getVolumes()).anySatisfy(v -> {
                    assertThat(v.getName()).isEqualTo(m.getName());
                    assertThat(v.getEmptyDir()).isNotNull();
                });
            });
            String options = container.getEnv().stream().filter(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).map(EnvVar::getValue).findFirst().orElse("");
            assertThat(options).contains("-Djava.io.tmpdir=/tmp").contains("-Dvertx.cacheDirBase=/tmp/");
            assertThat(container.getStartupProbe()).as(name + ": a startup probe").isNotNull();
            assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/health/live");
            assertThat(container.getStartupProbe().getFailureThreshold() * container.getStartupProbe().getPeriodSeconds()).isGreaterThanOrEqualTo(120);
            assertThat(container.getStartupProbe().getHttpGet().getScheme()).isEqualTo(tls ? "HTTPS" : "HTTP");
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).containsKey("memory");
            assertThat(container.getPorts()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("metrics");
                assertThat(p.getContainerPort()).isEqualTo(9090);
            });
            assertThat(container.getEnv()).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("MPC_MANAGEMENT_PORT=9090"));
            // health stays on the HTTP port
            assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        });
    }

    @Test
    void theCheckItselfRejectsWhatRestrictedRejects() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        PodSpec pod = DesiredDeployment.of(c, Component.ROUTER).getSpec().getTemplate().getSpec();
        pod.getContainers().get(0).getSecurityContext().setAllowPrivilegeEscalation(null);
        pod.getContainers().get(0).getSecurityContext().setSeccompProfile(null);
        pod.getSecurityContext().setSeccompProfile(null);
        pod.getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("h").withNewHostPath().withPath("/").endHostPath().build());
        assertThat(restrictedViolations(pod)).anySatisfy(v -> assertThat(v).contains("allowPrivilegeEscalation"))
                .anySatisfy(v -> assertThat(v).contains("seccompProfile")).anySatisfy(v -> assertThat(v).contains("volume type hostPath"));
    }

    @Test
    void specResourcesWinAndDefaultsFillTheGaps() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        c.getSpec().coordinator.resources = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("2")).build();
        var r = DesiredDeployment.of(c, Component.COORDINATOR).getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
        assertThat(r.getRequests().get("cpu").toString()).isEqualTo("2");
        assertThat(r.getRequests().get("memory").toString()).isEqualTo("256Mi");
        assertThat(r.getLimits().get("memory").toString()).isEqualTo("512Mi");
        // a large memory request gets no default limit below it
        c.getSpec().parties.resources = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("4Gi")).build();
        var p = DesiredParties.statefulSets(c, Map.of()).get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
        assertThat(p.getRequests().get("memory").toString()).isEqualTo("4Gi");
        assertThat(p.getLimits()).doesNotContainKey("memory");
        assertThat(p.getRequests().get("cpu").toString()).isEqualTo("250m");
    }

    @Test
    void partiesSpreadAcrossNodesAsConfigured() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        PodSpec preferred = DesiredParties.statefulSets(c, Map.of()).get(0).getSpec().getTemplate().getSpec();
        assertThat(preferred.getTopologySpreadConstraints()).singleElement().satisfies(t -> {
            assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(t.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
            assertThat(t.getLabelSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", "party")
                    .doesNotContainKey(DesiredParties.INDEX_LABEL);
        });
        assertThat(preferred.getAffinity().getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
        c.getSpec().parties.spread.mode = MpcClusterSpec.Spread.REQUIRED;
        c.getSpec().parties.spread.topologyKey = "topology.kubernetes.io/zone";
        PodSpec required = DesiredParties.statefulSets(c, Map.of()).get(2).getSpec().getTemplate().getSpec();
        assertThat(required.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()).singleElement()
                .satisfies(t -> assertThat(t.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
        assertThat(required.getTopologySpreadConstraints()).singleElement().satisfies(t -> assertThat(t.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule"));
        c.getSpec().parties.spread.mode = MpcClusterSpec.Spread.NONE;
        PodSpec none = DesiredParties.statefulSets(c, Map.of()).get(0).getSpec().getTemplate().getSpec();
        assertThat(none.getAffinity()).isNull();
        assertThat(none.getTopologySpreadConstraints()).isNullOrEmpty();
    }
}
