package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.crd.MpcClusterSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What makes a workload pod start and stay valid under the PodSecurity "restricted" profile:
 * uid/gid 10001 (the images' user) with fsGroup so the party volume is writable, seccomp
 * RuntimeDefault, no privilege escalation, every capability dropped, a read-only root filesystem
 * with a writable emptyDir at /tmp (Quarkus/Vert.x write their vertx-cache there at boot, and
 * {@code java.io.tmpdir} points there), a startup probe so slow JVM starts are not killed by
 * liveness, default resource requests, a termination grace period, and party spreading.
 */
public final class PodHardening {
    public static final long UID = 10001L;
    public static final String TMP_VOLUME = "tmp";
    public static final String TMP_DIR = "/tmp";
    /** Seconds a pod has between SIGTERM and SIGKILL: sessions in flight finish, connections close. */
    public static final long TERMINATION_GRACE_SECONDS = 30L;
    /** The JVM's temporary files and Vert.x's cache on the writable emptyDir, heap sized from the container limit. */
    public static final String JAVA_TOOL_OPTIONS = "-Djava.io.tmpdir=" + TMP_DIR + " -Dvertx.cacheDirBase=" + TMP_DIR + "/vertx-cache -XX:MaxRAMPercentage=75";

    private PodHardening() {
    }

    public static PodSecurityContext podSecurityContext() {
        return new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(UID).withRunAsGroup(UID).withFsGroup(UID)
                .withFsGroupChangePolicy("OnRootMismatch").withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
    }

    public static SecurityContext containerSecurityContext() {
        return new SecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(UID).withRunAsGroup(UID).withAllowPrivilegeEscalation(false)
                .withPrivileged(false).withReadOnlyRootFilesystem(true).withNewCapabilities().withDrop("ALL").endCapabilities()
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().build();
    }

    public static Volume tmpVolume() {
        return new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().withSizeLimit(new Quantity("256Mi")).endEmptyDir().build();
    }

    public static VolumeMount tmpMount() {
        return new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath(TMP_DIR).build();
    }

    public static EnvVar javaToolOptions() {
        return new EnvVarBuilder().withName("JAVA_TOOL_OPTIONS").withValue(JAVA_TOOL_OPTIONS).build();
    }

    /** Up to 5 minutes to start (a JVM on a busy node, a party re-wrapping many shares) before liveness takes over. */
    public static Probe startupProbe(MpcCluster c) {
        return new ProbeBuilder().withHttpGet(new HTTPGetActionBuilder().withPath("/health/live").withScheme(WorkloadTls.scheme(c))
                .withPort(new IntOrString("http")).build()).withPeriodSeconds(5).withFailureThreshold(60).withTimeoutSeconds(3).build();
    }

    public static Probe livenessProbe(MpcCluster c) {
        return new ProbeBuilder().withHttpGet(new HTTPGetActionBuilder().withPath("/health/live").withScheme(WorkloadTls.scheme(c))
                .withPort(new IntOrString("http")).build()).withPeriodSeconds(10).withTimeoutSeconds(3).withFailureThreshold(3).build();
    }

    public static Probe readinessProbe(MpcCluster c) {
        return new ProbeBuilder().withHttpGet(new HTTPGetActionBuilder().withPath("/health/ready").withScheme(WorkloadTls.scheme(c))
                .withPort(new IntOrString("http")).build()).withPeriodSeconds(5).withTimeoutSeconds(3).build();
    }

    /**
     * The spec's resources, with requests (and a memory limit) filled in where the spec gives none:
     * a pod without requests is scheduled anywhere and evicted first.
     */
    public static ResourceRequirements resources(ResourceRequirements given, String cpu, String memory, String memoryLimit) {
        Map<String, Quantity> requests = new HashMap<>();
        Map<String, Quantity> limits = new HashMap<>();
        if (given != null && given.getRequests() != null) requests.putAll(given.getRequests());
        if (given != null && given.getLimits() != null) limits.putAll(given.getLimits());
        boolean memoryRequested = requests.containsKey("memory");
        requests.putIfAbsent("cpu", new Quantity(cpu));
        requests.putIfAbsent("memory", limits.getOrDefault("memory", new Quantity(memory)));
        // a default limit only beside the default request: never one below what the spec requests
        if (!memoryRequested) limits.putIfAbsent("memory", new Quantity(memoryLimit));
        ResourceRequirementsBuilder b = new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits);
        if (given != null && given.getClaims() != null && !given.getClaims().isEmpty()) b.withClaims(given.getClaims());
        return b.build();
    }

    /** Parties on different nodes (or zones): losing one takes at most one share offline. */
    public static Affinity partyAffinity(MpcCluster c) {
        MpcClusterSpec.Spread s = spread(c);
        if (MpcClusterSpec.Spread.NONE.equals(s.mode)) return null;
        var term = new io.fabric8.kubernetes.api.model.PodAffinityTermBuilder().withTopologyKey(s.topologyKey)
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(c, DesiredParties.COMPONENT)).build()).build();
        if (MpcClusterSpec.Spread.REQUIRED.equals(s.mode)) {
            return new AffinityBuilder().withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(term).endPodAntiAffinity().build();
        }
        return new AffinityBuilder().withNewPodAntiAffinity().addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100)
                .withPodAffinityTerm(term).endPreferredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build();
    }

    public static List<TopologySpreadConstraint> partySpread(MpcCluster c) {
        MpcClusterSpec.Spread s = spread(c);
        if (MpcClusterSpec.Spread.NONE.equals(s.mode)) return List.of();
        return List.of(new TopologySpreadConstraintBuilder().withMaxSkew(1).withTopologyKey(s.topologyKey)
                .withWhenUnsatisfiable(MpcClusterSpec.Spread.REQUIRED.equals(s.mode) ? "DoNotSchedule" : "ScheduleAnyway")
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(c, DesiredParties.COMPONENT)).build()).build());
    }

    /** Replicas of a stateless component preferably on different nodes. */
    public static Affinity statelessAffinity(MpcCluster c, Component component) {
        return new AffinityBuilder().withNewPodAntiAffinity().addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(100)
                .withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname")
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(component.selector(c)).build()).endPodAffinityTerm()
                .endPreferredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build();
    }

    private static MpcClusterSpec.Spread spread(MpcCluster c) {
        MpcClusterSpec.Spread s = c.getSpec().parties.spread == null ? new MpcClusterSpec.Spread() : c.getSpec().parties.spread;
        if (s.topologyKey == null || s.topologyKey.isBlank()) s.topologyKey = "kubernetes.io/hostname";
        if (s.mode == null) s.mode = MpcClusterSpec.Spread.PREFERRED;
        return s;
    }
}
