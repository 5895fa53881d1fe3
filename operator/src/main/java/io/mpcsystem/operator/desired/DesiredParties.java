package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.crd.MpcClusterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server parties: one single-replica StatefulSet per party, each with its own volume and its
 * own key-encryption-key Secret, and one headless Service for them all.
 *
 * <p>One StatefulSet per party rather than one for all: a pod template names one Secret for
 * every pod, so a shared StatefulSet would have to mount every party's key into every party, and
 * one compromised pod would reveal them all. Separate StatefulSets keep "one party's compromise
 * reveals one share" true, and let a key rotation restart exactly one party at a time.
 */
public final class DesiredParties {
    public static final String COMPONENT = "party";
    public static final String INDEX_LABEL = "mpc.mpcsystem.io/party-index";
    /** The hash of the party's key versions; a change rolls that party (the KeySet sets it). */
    public static final String KEK_HASH_ANNOTATION = "mpc.mpcsystem.io/kek-hash";

    private DesiredParties() {
    }

    /** The party's id (PARTY_ID) and the name of its StatefulSet. */
    public static String partyId(MpcCluster c, int index) {
        return c.getMetadata().getName() + "-party-" + index;
    }

    /** The Secret holding this party's key-encryption key(s), written by the KeySet controller. */
    public static String kekSecret(MpcCluster c, int index) {
        return partyId(c, index) + "-kek";
    }

    public static List<StatefulSet> statefulSets(MpcCluster c, Map<Integer, String> kekHashes) {
        List<StatefulSet> out = new ArrayList<>();
        for (int i = 1; i <= c.getSpec().parties.count; i++) out.add(statefulSet(c, i, kekHashes.getOrDefault(i, "")));
        return out;
    }

    static StatefulSet statefulSet(MpcCluster c, int index, String kekHash) {
        MpcClusterSpec spec = c.getSpec();
        Map<String, String> selector = new TreeMap<>(Labels.selector(c, COMPONENT));
        selector.put(INDEX_LABEL, String.valueOf(index));
        Map<String, String> labels = new TreeMap<>(Labels.all(c, COMPONENT));
        labels.put(INDEX_LABEL, String.valueOf(index));
        List<EnvVar> env = env(c, index);
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(KEK_HASH_ANNOTATION, kekHash);
        annotations.put(DesiredConfigMap.CONFIG_HASH_ANNOTATION, DesiredConfigMap.hashOf(c, env));
        List<Volume> volumes = new ArrayList<>(WorkloadTls.volumes(c));
        volumes.add(PodHardening.tmpVolume());
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName("keyshares").withMountPath("/data/keyshares").build());
        mounts.addAll(WorkloadTls.mounts(c));
        mounts.add(PodHardening.tmpMount());
        return new StatefulSetBuilder()
                .withMetadata(Ownership.meta(c, partyId(c, index), labels))
                .withNewSpec()
                .withReplicas(1)
                .withServiceName(c.getMetadata().getName() + "-parties")
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
                .withNewSpec()
                .withServiceAccountName(DesiredServiceAccounts.party(c))
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(PodHardening.podSecurityContext())
                .withTerminationGracePeriodSeconds(PodHardening.TERMINATION_GRACE_SECONDS)
                .withAffinity(PodHardening.partyAffinity(c))
                .withTopologySpreadConstraints(PodHardening.partySpread(c))
                .withVolumes(volumes)
                .withContainers(new ContainerBuilder()
                        .withName(COMPONENT)
                        .withImage(spec.image.repository + "/server-party:" + spec.image.tag)
                        .withPorts(new ContainerPortBuilder().withName("http").withContainerPort(DesiredDeployment.HTTP_PORT).build(),
                                new ContainerPortBuilder().withName("metrics").withContainerPort(DesiredDeployment.METRICS_PORT).build())
                        .withEnv(env)
                        .withResources(PodHardening.resources(spec.parties.resources, "250m", "512Mi", "1Gi"))
                        .withVolumeMounts(mounts)
                        .withStartupProbe(PodHardening.startupProbe(c))
                        .withLivenessProbe(PodHardening.livenessProbe(c))
                        .withReadinessProbe(PodHardening.readinessProbe(c))
                        .withSecurityContext(PodHardening.containerSecurityContext())
                        .build())
                .endSpec()
                .endTemplate()
                .withVolumeClaimTemplates(new PersistentVolumeClaimBuilder()
                        .withNewMetadata().withName("keyshares").withLabels(labels).endMetadata()
                        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(spec.parties.storage.storageClass)
                        .withNewResources().withRequests(Map.of("storage", new Quantity(spec.parties.storage.size))).endResources()
                        .endSpec().build())
                .endSpec()
                .build();
    }

    static List<EnvVar> env(MpcCluster c, int index) {
        String secret = kekSecret(c, index);
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("PARTY_ID").withValue(partyId(c, index)).build());
        env.add(DesiredConfigMap.env(c, "ENVIRONMENT"));
        env.add(DesiredConfigMap.env(c, "LOG_LEVEL"));
        env.add(DesiredConfigMap.env(c, "SESSION_COORDINATOR_ADDR"));
        env.add(DesiredConfigMap.env(c, "MESSAGE_ROUTER_ADDR"));
        env.add(secretEnv("MPC_CRYPTO_MASTER_KEY", secret, "current", false));
        env.add(secretEnv("MPC_CRYPTO_MASTER_KEY_VERSION", secret, "current-version", false));
        // present only during a rotation
        env.add(secretEnv("MPC_CRYPTO_MASTER_KEY_PREVIOUS", secret, "previous", true));
        env.add(secretEnv("MPC_CRYPTO_MASTER_KEY_PREVIOUS_VERSION", secret, "previous-version", true));
        env.add(ClusterSecrets.env("MPC_REQUEST_VERIFY_KEY", ClusterSecrets.requestSigning(c), ClusterSecrets.PUBLIC_KEY));
        env.add(ClusterSecrets.partyIds(c));
        env.add(new EnvVarBuilder().withName("MPC_MANAGEMENT_PORT").withValue(String.valueOf(DesiredDeployment.METRICS_PORT)).build());
        env.add(PodHardening.javaToolOptions());
        env.addAll(WorkloadTls.env(c));
        return env;
    }

    private static EnvVar secretEnv(String name, String secret, String key, boolean optional) {
        return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).withOptional(optional)
                .endSecretKeyRef().endValueFrom().build();
    }

    /** The headless Service that gives each party pod a stable DNS name. */
    public static Service headlessService(MpcCluster c) {
        return new ServiceBuilder()
                .withMetadata(Ownership.meta(c, c.getMetadata().getName() + "-parties", Labels.all(c, COMPONENT)))
                .withNewSpec().withClusterIP("None").withSelector(Labels.selector(c, COMPONENT))
                .addNewPort().withName("http").withPort(DesiredDeployment.HTTP_PORT).withTargetPort(new IntOrString("http")).endPort()
                .addNewPort().withName("metrics").withPort(DesiredDeployment.METRICS_PORT).withTargetPort(new IntOrString("metrics")).endPort()
                .endSpec().build();
    }
}
