package io.mpcsystem.e2e.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.desired.Component;
import io.mpcsystem.operator.desired.DesiredConfigMap;
import io.mpcsystem.operator.desired.DesiredDeployment;
import io.mpcsystem.operator.desired.DesiredServiceAccounts;
import io.mpcsystem.operator.desired.PodHardening;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A pod the operator builds, started for real: the router's Deployment exactly as
 * {@link DesiredDeployment} makes it (PodSecurity restricted, read-only root, the /tmp emptyDir,
 * its probes), pinned to a {@link RealNode} whose kubelet runs it from the image built here, with
 * Redis from Debian's packages in a pod beside it. Its readiness probe passes only once the
 * router has reached Redis. Tag {@code node}: needs root, containerd, runc, the CNI plugins, and
 * the programs of {@code MPC_CONTROLPLANE_NODE=1 e2e/controlplane/build.sh}.
 */
@Tag("node")
@ExtendWith(ControlPlaneExtension.class)
class RealNodeTest {
    private static final String NS = "on-node";
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static RealNode node;
    private static KubernetesClient admin;

    private static void require(boolean condition, String why) {
        if (System.getenv("MPC_NODE_REQUIRED") != null) assertThat(condition).as(why).isTrue();
        else Assumptions.assumeTrue(condition, why);
    }

    @BeforeAll
    static void start(ControlPlane cp) {
        List<Path> images = List.of(ROOT.resolve("workloads/message-router/target/jib-image.tar"), ROOT.resolve("target/infra-image.tar"));
        for (Path i : images) require(Files.isRegularFile(i), i + " is not built: run docker/build-images.sh and docker/infra-image.sh target/infra-image.tar");
        var why = RealNode.unavailable();
        require(why.isEmpty(), "no real node here: " + why.orElse(""));
        admin = cp.admin();
        node = RealNode.start(cp, images);
        Clusters.restrictedNamespace(admin, NS);
    }

    @AfterAll
    static void stop() {
        if (admin != null) admin.namespaces().withName(NS).delete();
        if (node != null) node.close();
    }

    private static <T extends HasMetadata> T unowned(T o) {
        // built for an MpcCluster that is not in the API: no owner, or the garbage collector would take it
        o.getMetadata().setOwnerReferences(null);
        o.getMetadata().setNamespace(NS);
        return o;
    }

    private static boolean ready(Pod p) {
        return p != null && p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Test
    void theOperatorsRouterPodStartsOnARealKubeletUnderRestrictedAndPassesItsProbes() {
        long uid = PodHardening.UID;
        admin.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("redis").endMetadata().withNewSpec()
                .withNodeName(node.name()).withSecurityContext(PodHardening.podSecurityContext())
                .addNewContainer().withName("redis").withImage("mpc-system/infra:bookworm").withImagePullPolicy("Never").withCommand("mpc-redis")
                .withSecurityContext(PodHardening.containerSecurityContext())
                .withNewReadinessProbe().withNewTcpSocket().withNewPort(6379).endTcpSocket().withPeriodSeconds(2).endReadinessProbe()
                .endContainer().endSpec().build()).create();
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .untilAsserted(() -> assertThat(ready(admin.pods().inNamespace(NS).withName("redis").get())).as("redis\n%s", node.logTails()).isTrue());
        String redisIp = admin.pods().inNamespace(NS).withName("redis").get().getStatus().getPodIP();

        MpcCluster c = Clusters.sample("mpccluster-minimal.yaml", MpcCluster.class);
        c.getMetadata().setName("onnode");
        c.getMetadata().setNamespace(NS);
        c.getSpec().image.tag = "0.1.0-SNAPSHOT";
        c.getSpec().redis.host = redisIp;
        c.getSpec().router.replicas = 1;
        admin.resource(unowned(DesiredConfigMap.of(c))).create();
        DesiredServiceAccounts.of(c).forEach(sa -> admin.resource(unowned(sa)).create());
        Deployment router = unowned(DesiredDeployment.of(c, Component.ROUTER));
        router.getSpec().getTemplate().getSpec().setNodeSelector(Map.of("kubernetes.io/hostname", node.name()));
        admin.resource(router).create();

        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
            List<Pod> pods = admin.pods().inNamespace(NS).withLabels(Component.ROUTER.selector(c)).list().getItems();
            assertThat(pods).as("router pods\n%s", node.logTails()).singleElement().satisfies(p -> {
                assertThat(p.getSpec().getNodeName()).isEqualTo(node.name());
                assertThat(ready(p)).as("ready: %s", p.getStatus()).isTrue();
                assertThat(p.getStatus().getContainerStatuses().get(0).getRestartCount()).isZero();
            });
        });
        Pod running = admin.pods().inNamespace(NS).withLabels(Component.ROUTER.selector(c)).list().getItems().get(0);
        assertThat(running.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(uid);
        assertThat(running.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    }
}
