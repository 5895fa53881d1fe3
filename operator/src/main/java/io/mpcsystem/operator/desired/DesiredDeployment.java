package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.crd.MpcClusterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Deployment of a stateless component, computed from the MpcCluster alone (no cluster
 * access), so it can be tested as a pure function and compared with what runs.
 */
public final class DesiredDeployment {
    public static final int GRPC_PORT = 50051;
    public static final int HTTP_PORT = 8080;
    /** Prometheus /metrics, on its own management port (MPC_MANAGEMENT_PORT), HTTPS when TLS is on. */
    public static final int METRICS_PORT = 9090;

    private DesiredDeployment() {
    }

    public static Deployment of(MpcCluster c, Component component) {
        MpcClusterSpec spec = c.getSpec();
        List<EnvVar> env = env(c, component);
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(DesiredConfigMap.CONFIG_HASH_ANNOTATION, DesiredConfigMap.hashOf(c, env));
        List<io.fabric8.kubernetes.api.model.Volume> volumes = new ArrayList<>(WorkloadTls.volumes(c));
        volumes.add(PodHardening.tmpVolume());
        List<io.fabric8.kubernetes.api.model.VolumeMount> mounts = new ArrayList<>(WorkloadTls.mounts(c));
        mounts.add(PodHardening.tmpMount());
        return new DeploymentBuilder()
                .withMetadata(Ownership.meta(c, component.name(c), Labels.all(c, component.label())))
                .withNewSpec()
                .withReplicas(component.settings(spec).replicas)
                .withNewSelector().withMatchLabels(component.selector(c)).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxUnavailable(new IntOrString(0))
                .withMaxSurge(new IntOrString(1)).endRollingUpdate().endStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.all(c, component.label())).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withServiceAccountName(component.name(c))
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(PodHardening.podSecurityContext())
                .withTerminationGracePeriodSeconds(PodHardening.TERMINATION_GRACE_SECONDS)
                .withAffinity(PodHardening.statelessAffinity(c, component))
                .withVolumes(volumes)
                .withContainers(new ContainerBuilder()
                        .withName(component.label())
                        .withImage(component.image(spec))
                        .withPorts(new ContainerPortBuilder().withName("grpc").withContainerPort(GRPC_PORT).build(),
                                new ContainerPortBuilder().withName("http").withContainerPort(HTTP_PORT).build(),
                                new ContainerPortBuilder().withName("metrics").withContainerPort(METRICS_PORT).build())
                        .withEnv(env)
                        .withResources(PodHardening.resources(component.settings(spec).resources, "100m", "256Mi", "512Mi"))
                        .withVolumeMounts(mounts)
                        .withStartupProbe(PodHardening.startupProbe(c))
                        .withLivenessProbe(PodHardening.livenessProbe(c))
                        .withReadinessProbe(PodHardening.readinessProbe(c))
                        .withSecurityContext(PodHardening.containerSecurityContext())
                        .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The seed guide's environment variables; settings from the ConfigMap, credentials only by reference to Secrets. */
    static List<EnvVar> env(MpcCluster c, Component component) {
        MpcClusterSpec spec = c.getSpec();
        List<EnvVar> env = new ArrayList<>();
        env.add(DesiredConfigMap.env(c, "ENVIRONMENT"));
        env.add(DesiredConfigMap.env(c, "LOG_LEVEL"));
        if (component.usesDatabase()) {
            env.add(DesiredConfigMap.env(c, "MPC_DATABASE_HOST"));
            env.add(DesiredConfigMap.env(c, "MPC_DATABASE_PORT"));
            env.add(DesiredConfigMap.env(c, "MPC_DATABASE_DBNAME"));
            env.add(secret("MPC_DATABASE_USER", spec.database.credentialsSecret, "username"));
            env.add(secret("MPC_DATABASE_PASSWORD", spec.database.credentialsSecret, "password"));
        }
        if (component.usesRedis()) {
            env.add(DesiredConfigMap.env(c, "MPC_REDIS_HOST"));
            env.add(DesiredConfigMap.env(c, "MPC_REDIS_PORT"));
            if (spec.redis.credentialsSecret != null) env.add(secret("MPC_REDIS_PASSWORD", spec.redis.credentialsSecret, "password"));
        }
        if (component == Component.ACCOUNT_SERVICE) {
            env.add(DesiredConfigMap.env(c, "SESSION_COORDINATOR_ADDR"));
            env.add(ClusterSecrets.env("MPC_COORDINATOR_TOKEN", ClusterSecrets.callerTokens(c), ClusterSecrets.ACCOUNT_TOKEN));
            env.add(ClusterSecrets.env("MPC_REQUEST_SIGNING_KEY", ClusterSecrets.requestSigning(c), ClusterSecrets.PRIVATE_KEY));
            env.add(ClusterSecrets.env("MPC_BOOTSTRAP_API_KEY", ClusterSecrets.adminApiKey(c), ClusterSecrets.API_KEY));
        }
        if (component == Component.COORDINATOR) {
            env.add(DesiredConfigMap.env(c, "MPC_PRESIGN_POOL_SIZE"));
            env.add(ClusterSecrets.env("MPC_CALLER_TOKEN_ACCOUNT", ClusterSecrets.callerTokens(c), ClusterSecrets.ACCOUNT_TOKEN));
            env.add(ClusterSecrets.env("MPC_CALLER_TOKEN_OPERATOR", ClusterSecrets.callerTokens(c), ClusterSecrets.OPERATOR_TOKEN));
            env.add(ClusterSecrets.partyIds(c));
        }
        env.add(new EnvVarBuilder().withName("MPC_MANAGEMENT_PORT").withValue(String.valueOf(METRICS_PORT)).build());
        env.add(PodHardening.javaToolOptions());
        env.addAll(WorkloadTls.env(c));
        return env;
    }

    private static EnvVar secret(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef()
                .endValueFrom().build();
    }
}
