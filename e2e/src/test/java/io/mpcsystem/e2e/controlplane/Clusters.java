package io.mpcsystem.e2e.controlplane;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.mpcsystem.operator.crd.KeySet;
import io.mpcsystem.operator.crd.MpcCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** What the tests on the real control plane do to clusters, as an administrator would with kubectl. */
final class Clusters {
    private final KubernetesClient admin;
    private final String namespace;

    Clusters(KubernetesClient admin, String namespace) {
        this.admin = admin;
        this.namespace = namespace;
    }

    /** A namespace that enforces PodSecurity "restricted" at the latest version: every pod must pass it. */
    static void restrictedNamespace(KubernetesClient admin, String name) {
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("pod-security.kubernetes.io/enforce", "restricted", "pod-security.kubernetes.io/enforce-version", "latest",
                        "pod-security.kubernetes.io/warn", "restricted"))
                .endMetadata().build()).serverSideApply();
    }

    /**
     * Volumes for party claims: nothing provisions them on kwok nodes. hostPath PVs are never
     * mounted (the pods do not run), and a pod only names its claim, which "restricted" allows.
     */
    static void persistentVolumes(KubernetesClient admin, String prefix, int n) {
        for (int i = 1; i <= n; i++) {
            admin.resource(new PersistentVolumeBuilder().withNewMetadata().withName(prefix + "-" + i).endMetadata()
                    .withNewSpec().withCapacity(Map.of("storage", new Quantity("10Gi"))).withAccessModes("ReadWriteOnce")
                    .withPersistentVolumeReclaimPolicy("Delete").withNewHostPath().withPath("/tmp/mpc-e2e/" + prefix + "-" + i).endHostPath()
                    .endSpec().build()).serverSideApply();
        }
    }

    static <T> T sample(String file, Class<T> type) {
        try {
            return Serialization.unmarshal(Files.newInputStream(Path.of("..", "operator", "samples", file)), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The minimal sample under another name, with a development KeySet of its own. */
    MpcCluster createMinimal(String name) {
        KeySet keys = sample("keyset-development.yaml", KeySet.class);
        keys.getMetadata().setName(name + "-keys");
        keys.getMetadata().setNamespace(namespace);
        admin.resource(keys).create();
        MpcCluster c = sample("mpccluster-minimal.yaml", MpcCluster.class);
        c.getMetadata().setName(name);
        c.getMetadata().setNamespace(namespace);
        c.getSpec().keySetRef = name + "-keys";
        return admin.resource(c).create();
    }

    MpcCluster get(String name) {
        return admin.resources(MpcCluster.class).inNamespace(namespace).withName(name).get();
    }

    /** An edit of the spec, retried when it races with the operator's status writes (409). */
    void edit(String name, UnaryOperator<MpcCluster> change) {
        for (int attempt = 0; ; attempt++) {
            try {
                admin.resources(MpcCluster.class).inNamespace(namespace).withName(name).edit(change);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 20) throw e;
            }
        }
    }

    static String condition(MpcCluster c, String type) {
        return c == null || c.getStatus() == null || c.getStatus().conditions == null ? null
                : c.getStatus().conditions.stream().filter(x -> x.getType().equals(type)).map(x -> x.getStatus()).findFirst().orElse(null);
    }

    static String conditionMessage(MpcCluster c, String type) {
        return c == null || c.getStatus() == null || c.getStatus().conditions == null ? null
                : c.getStatus().conditions.stream().filter(x -> x.getType().equals(type)).map(x -> x.getMessage()).findFirst().orElse(null);
    }

    Pod partyPod(String cluster, int party) {
        return admin.pods().inNamespace(namespace).withName(cluster + "-party-" + party + "-0").get();
    }

    static boolean ready(Pod p) {
        return p != null && p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** What a failing container does to its pod: Ready and ContainersReady become False (kwok leaves a Running pod alone). */
    void setReady(Pod pod, boolean ready) {
        String status = ready ? "True" : "False";
        for (int attempt = 0; ; attempt++) {
            Pod p = admin.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get();
            p.getStatus().getConditions().stream().filter(c -> List.of("Ready", "ContainersReady").contains(c.getType()))
                    .forEach(c -> c.setStatus(status));
            try {
                admin.pods().inNamespace(namespace).resource(p).updateStatus();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 20) throw e;
            }
        }
    }

    /** Deletes every MpcCluster and KeySet here while the operator still runs (it may hold finalizers), and waits for them to go. */
    void deleteAll() {
        admin.resources(MpcCluster.class).inNamespace(namespace).delete();
        admin.resources(KeySet.class).inNamespace(namespace).delete();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1)).ignoreExceptions().until(() ->
                admin.resources(MpcCluster.class).inNamespace(namespace).list().getItems().isEmpty()
                        && admin.resources(KeySet.class).inNamespace(namespace).list().getItems().isEmpty());
    }

    /** "type/reason" of every Event about objects whose name starts with {@code prefix}. */
    List<String> events(String prefix) {
        return admin.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && e.getInvolvedObject().getName() != null && e.getInvolvedObject().getName().startsWith(prefix))
                .map(e -> e.getInvolvedObject().getKind() + " " + e.getType() + "/" + e.getReason() + ": " + e.getMessage()).toList();
    }
}
