package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.crd.MpcClusterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Deployment of a stateless component, computed from the MpcCluster alone (no cluster
 * access), so it can be tested as a pure function and compared with what runs.
 */
public final class DesiredDeployment {
    public static final int GRPC_PORT = 50051;
    public static final int HTTP_PORT = 8080;

    private DesiredDeployment() {
    }

    public static Deployment of(MpcCluster c, Component component) {
        MpcClusterSpec spec = c.getSpec();
        return new DeploymentBuilder()
                .withMetadata(Ownership.meta(c, component.name(c), Labels.all(c, component.label())))
                .withNewSpec()
                .withReplicas(component.settings(spec).replicas)
                .withNewSelector().withMatchLabels(component.selector(c)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.all(c, component.label()))
                .withAnnotations(Map.of(DesiredConfigMap.CONFIG_HASH_ANNOTATION, DesiredConfigMap.hash(c))).endMetadata()
                .withNewSpec()
                .withServiceAccountName(component.name(c))
                .withAutomountServiceAccountToken(false)
                .withVolumes(WorkloadTls.volumes(c))
                .withContainers(new ContainerBuilder()
                        .withName(component.label())
                        .withImage(component.image(spec))
                        .withPorts(new ContainerPortBuilder().withName("grpc").withContainerPort(GRPC_PORT).build(),
                                new ContainerPortBuilder().withName("http").withContainerPort(HTTP_PORT).build())
                        .withEnv(env(c, component))
                        .withResources(component.settings(spec).resources)
                        .withVolumeMounts(WorkloadTls.mounts(c))
                        .withLivenessProbe(new ProbeBuilder().withHttpGet(new HTTPGetActionBuilder().withPath("/health/live")
                                .withScheme(WorkloadTls.scheme(c)).withPort(new IntOrString("http")).build()).withPeriodSeconds(10).build())
                        .withReadinessProbe(new ProbeBuilder().withHttpGet(new HTTPGetActionBuilder().withPath("/health/ready")
                                .withScheme(WorkloadTls.scheme(c)).withPort(new IntOrString("http")).build()).withPeriodSeconds(5).build())
                        .withNewSecurityContext().withRunAsNonRoot(true).withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
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
        if (component == Component.ACCOUNT_SERVICE) env.add(DesiredConfigMap.env(c, "SESSION_COORDINATOR_ADDR"));
        if (component == Component.COORDINATOR) env.add(DesiredConfigMap.env(c, "MPC_PRESIGN_POOL_SIZE"));
        env.addAll(WorkloadTls.env(c));
        return env;
    }

    private static EnvVar secret(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef()
                .endValueFrom().build();
    }
}
