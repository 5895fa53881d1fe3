package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.crd.MpcClusterSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The Deployment of a stateless component, computed from the MpcCluster alone (no cluster
 * access), so it can be tested as a pure function and compared with what runs.
 */
public final class DesiredDeployment {
    static final int GRPC_PORT = 50051;
    static final int HTTP_PORT = 8080;

    private DesiredDeployment() {
    }

    public static Deployment of(MpcCluster c, Component component) {
        MpcClusterSpec spec = c.getSpec();
        return new DeploymentBuilder()
                .withNewMetadata().withName(component.name(c)).withNamespace(c.getMetadata().getNamespace())
                .withLabels(Labels.all(c, component.label())).withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(c.getApiVersion()).withKind(c.getKind()).withName(c.getMetadata().getName())
                        .withUid(c.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withNewSpec()
                .withReplicas(component.settings(spec).replicas)
                .withNewSelector().withMatchLabels(component.selector(c)).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(Labels.all(c, component.label())).endMetadata()
                .withNewSpec()
                .withServiceAccountName(component.name(c))
                .withAutomountServiceAccountToken(false)
                .withContainers(new ContainerBuilder()
                        .withName(component.label())
                        .withImage(component.image(spec))
                        .withPorts(new ContainerPortBuilder().withName("grpc").withContainerPort(GRPC_PORT).build(),
                                new ContainerPortBuilder().withName("http").withContainerPort(HTTP_PORT).build())
                        .withEnv(env(c, component))
                        .withResources(component.settings(spec).resources)
                        .withLivenessProbe(new ProbeBuilder().withHttpGet(new HTTPGetActionBuilder().withPath("/health/live")
                                .withPort(new IntOrString("http")).build()).withPeriodSeconds(10).build())
                        .withReadinessProbe(new ProbeBuilder().withHttpGet(new HTTPGetActionBuilder().withPath("/health/ready")
                                .withPort(new IntOrString("http")).build()).withPeriodSeconds(5).build())
                        .withNewSecurityContext().withRunAsNonRoot(true).withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                        .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                        .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The seed guide's environment variables; credentials only by reference to Secrets. */
    static List<EnvVar> env(MpcCluster c, Component component) {
        MpcClusterSpec spec = c.getSpec();
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("ENVIRONMENT").withValue("kubernetes").build());
        if (component.usesDatabase()) {
            env.add(plain("MPC_DATABASE_HOST", spec.database.host));
            env.add(plain("MPC_DATABASE_PORT", String.valueOf(spec.database.port)));
            env.add(plain("MPC_DATABASE_DBNAME", spec.database.name));
            env.add(secret("MPC_DATABASE_USER", spec.database.credentialsSecret, "username"));
            env.add(secret("MPC_DATABASE_PASSWORD", spec.database.credentialsSecret, "password"));
        }
        if (component.usesRedis()) {
            env.add(plain("MPC_REDIS_HOST", spec.redis.host));
            env.add(plain("MPC_REDIS_PORT", String.valueOf(spec.redis.port)));
            if (spec.redis.credentialsSecret != null) env.add(secret("MPC_REDIS_PASSWORD", spec.redis.credentialsSecret, "password"));
        }
        if (component == Component.ACCOUNT_SERVICE) {
            env.add(plain("SESSION_COORDINATOR_ADDR", Component.COORDINATOR.name(c) + ":" + GRPC_PORT));
        }
        return env;
    }

    private static EnvVar plain(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static EnvVar secret(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef()
                .endValueFrom().build();
    }
}
