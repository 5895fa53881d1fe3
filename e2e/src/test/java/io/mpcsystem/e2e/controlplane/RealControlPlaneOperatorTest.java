package io.mpcsystem.e2e.controlplane;

import static io.mpcsystem.e2e.controlplane.Clusters.condition;
import static io.mpcsystem.e2e.controlplane.Clusters.conditionMessage;
import static io.mpcsystem.e2e.controlplane.Clusters.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.keyset.PartyObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator on a real API server with real controllers (see {@link ControlPlane}), installed by
 * its chart and running as the chart's ServiceAccount in namespaced mode, managing namespace
 * {@code mpc} which enforces PodSecurity "restricted". What the mock-server tests cannot show:
 * server-side apply, the CRD schema and CEL rules, RBAC, PodSecurity admission, the StatefulSet
 * and Deployment controllers, garbage collection.
 */
@Tag("controlplane")
@ExtendWith(ControlPlaneExtension.class)
class RealControlPlaneOperatorTest {
    private static final String NS = "mpc";
    private static final Duration READY = Duration.ofMinutes(3);
    private static ControlPlane cp;
    private static KubernetesClient admin;
    private static ChartOperator operator;
    private static Clusters clusters;

    @BeforeAll
    static void install(ControlPlane controlPlane) {
        cp = controlPlane;
        admin = cp.admin();
        Clusters.restrictedNamespace(admin, NS);
        Clusters.persistentVolumes(admin, "pv-ns", 40);
        operator = ChartOperator.install(cp, "mpc-operator", "mpc-system", ChartOperator.Values.watching(NS),
                PartyObserver.inCluster());
        clusters = new Clusters(admin, NS);
    }

    @AfterAll
    static void uninstall() {
        if (clusters != null) clusters.deleteAll();
        if (operator != null) operator.close();
    }

    private static void awaitReady(String name) {
        Awaitility.await().atMost(READY).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            MpcCluster c = clusters.get(name);
            assertThat(condition(c, "Ready")).as("%s\nevents: %s", c.getStatus() == null ? null : c.getStatus().conditions, clusters.events(name))
                    .isEqualTo("True");
            assertThat(c.getStatus().phase).isEqualTo("Ready");
            assertThat(c.getStatus().observedGeneration).isEqualTo(c.getMetadata().getGeneration());
        });
    }

    private static boolean appliedBy(HasMetadata o, String manager) {
        List<ManagedFieldsEntry> fields = o.getMetadata().getManagedFields();
        return fields != null && fields.stream().anyMatch(f -> manager.equals(f.getManager()) && "Apply".equals(f.getOperation()));
    }

    @Test
    void aClusterBecomesReadyOnTheRealControllersAndEveryPodPassesRestricted() {
        clusters.createMinimal("alpha");
        awaitReady("alpha");

        List<Pod> pods = admin.pods().inNamespace(NS).withLabel("app.kubernetes.io/instance", "alpha").list().getItems();
        assertThat(pods).as("2 coordinators, 2 routers, 2 account services, 3 parties").hasSize(9)
                .allSatisfy(p -> {
                    assertThat(p.getSpec().getNodeName()).as("scheduled by the real scheduler").startsWith("kwok-node-");
                    assertThat(ready(p)).isTrue();
                });
        assertThat(clusters.get("alpha").getStatus().partiesReady).isEqualTo("3/3");
        // every owned object went in by server-side apply under the operator's field manager
        List<HasMetadata> owned = new ArrayList<>();
        owned.addAll(admin.apps().statefulSets().inNamespace(NS).withLabel("app.kubernetes.io/instance", "alpha").list().getItems());
        owned.addAll(admin.apps().deployments().inNamespace(NS).withLabel("app.kubernetes.io/instance", "alpha").list().getItems());
        owned.addAll(admin.services().inNamespace(NS).withLabel("app.kubernetes.io/instance", "alpha").list().getItems());
        owned.addAll(admin.network().v1().networkPolicies().inNamespace(NS).withLabel("app.kubernetes.io/instance", "alpha").list().getItems());
        owned.addAll(admin.policy().v1().podDisruptionBudget().inNamespace(NS).withLabel("app.kubernetes.io/instance", "alpha").list().getItems());
        assertThat(owned).hasSizeGreaterThanOrEqualTo(3 + 3 + 4 + 4 + 2).allSatisfy(o -> assertThat(appliedBy(o, "mpc-operator"))
                .as("%s %s managed by %s", o.getKind(), o.getMetadata().getName(), o.getMetadata().getManagedFields()).isTrue());
        assertThat(admin.services().inNamespace(NS).withName("alpha-coordinator").get().getSpec().getClusterIP()).as("allocated by the API server")
                .startsWith("10.96.");
        assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(NS).withName("alpha-parties").get().getStatus().getCurrentHealthy())
                .as("the disruption controller counts the parties").isEqualTo(3);
        assertThat(clusters.events("alpha")).as("no pod refused by PodSecurity or anything else").noneMatch(e -> e.contains("FailedCreate"));
    }

    @Test
    void theApiServerEnforcesTheSchemaAndTheCelRules() {
        MpcCluster bad = Clusters.sample("mpccluster-minimal.yaml", MpcCluster.class);
        bad.getMetadata().setName("invalid");
        bad.getMetadata().setNamespace(NS);
        bad.getSpec().parties.threshold = 4;
        assertThat(catchThrowable(() -> admin.resource(bad).create())).hasMessageContaining("threshold must not exceed count");
        bad.getSpec().parties.threshold = 2;
        bad.getSpec().parties.count = 300;
        assertThat(catchThrowable(() -> admin.resource(bad).create())).hasMessageContaining("spec.parties.count")
                .hasMessageContaining("less than or equal to 255");
        bad.getSpec().parties.count = 3;
        bad.getSpec().tls = true;
        assertThat(catchThrowable(() -> admin.resource(bad).create())).hasMessageContaining("tls needs tlsSecret");

        clusters.createMinimal("fixed");
        assertThat(catchThrowable(() -> clusters.edit("fixed", x -> {
            x.getSpec().parties.count = 5;
            return x;
        }))).hasMessageContaining("parties.count is immutable");
        assertThat(catchThrowable(() -> clusters.edit("fixed", x -> {
            x.getSpec().parties.threshold = 3;
            return x;
        }))).hasMessageContaining("parties.threshold is immutable");
        assertThat(catchThrowable(() -> clusters.edit("fixed", x -> {
            x.getSpec().parties.storage.size = "5Gi";
            return x;
        }))).hasMessageContaining("parties.storage is immutable");
        assertThat(catchThrowable(() -> clusters.edit("fixed", x -> {
            x.getSpec().keySetRef = "other-keys";
            return x;
        }))).hasMessageContaining("keySetRef cannot change");
        // what may change does
        clusters.edit("fixed", x -> {
            x.getSpec().logLevel = "DEBUG";
            return x;
        });
        assertThat(clusters.get("fixed").getSpec().logLevel).isEqualTo("DEBUG");
    }

    @Test
    void aBrokenReleaseStopsAtTheFirstPartyAndTheFixRollsOnePartyAtATime() {
        clusters.createMinimal("roll");
        awaitReady("roll");

        // a release whose party pods never become ready (kwok is told so for this image)
        clusters.edit("roll", c -> {
            c.getSpec().image.tag = ControlPlane.NEVER_READY_TAG;
            return c;
        });
        int[] broken = new int[1];
        Awaitility.await().atMost(READY).pollInterval(Duration.ofMillis(300)).ignoreExceptions().untilAsserted(() -> {
            List<Integer> moved = new ArrayList<>();
            for (int i = 1; i <= 3; i++) if (templateImage(statefulSet("roll", i)).endsWith(":" + ControlPlane.NEVER_READY_TAG)) moved.add(i);
            assertThat(moved).hasSize(1);
            broken[0] = moved.get(0);
            Pod p = clusters.partyPod("roll", broken[0]);
            assertThat(image(p)).endsWith(":" + ControlPlane.NEVER_READY_TAG);
            assertThat(ready(p)).isFalse();
            assertThat(conditionMessage(clusters.get("roll"), "Progressing")).contains("party " + broken[0]);
        });
        // held: for ten seconds no other party is touched, and only the broken one is down
        Awaitility.await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (int i = 1; i <= 3; i++) {
                if (i == broken[0]) continue;
                assertThat(templateImage(statefulSet("roll", i))).as("party %d while party %d is not ready", i, broken[0]).endsWith(":0.1.0");
                assertThat(ready(clusters.partyPod("roll", i))).isTrue();
            }
            MpcCluster c = clusters.get("roll");
            assertThat(condition(c, "Progressing")).isEqualTo("True");
            assertThat(condition(c, "Ready")).isEqualTo("False");
            assertThat(condition(c, "Available")).as("two parties still sign").isEqualTo("True");
        });

        // the fix: the broken party goes first (its stuck pod is replaced, kubernetes#67250), then the
        // others one at a time, never two parties down at once
        clusters.edit("roll", c -> {
            c.getSpec().image.tag = "0.1.1";
            return c;
        });
        List<Long> down = new ArrayList<>();
        Awaitility.await().atMost(READY).pollInterval(Duration.ofMillis(200)).ignoreExceptions().untilAsserted(() -> {
            long notReady = 0;
            for (int i = 1; i <= 3; i++) if (!ready(clusters.partyPod("roll", i))) notReady++;
            down.add(notReady);
            for (int i = 1; i <= 3; i++) {
                Pod p = clusters.partyPod("roll", i);
                assertThat(image(p)).endsWith(":0.1.1");
                assertThat(ready(p)).isTrue();
            }
            assertThat(condition(clusters.get("roll"), "Ready")).isEqualTo("True");
        });
        assertThat(down).as("party pods down at once, polled through the rollout").allMatch(n -> n <= 1);
    }

    @Test
    void aPartyNotReadyOnItsOldTemplateIsReplacedDespiteTheStatefulSetControllerWaiting() {
        // kubernetes#67250: a StatefulSet does not replace a pod that never became ready
        clusters.createMinimal("stuck");
        awaitReady("stuck");
        Pod before = clusters.partyPod("stuck", 2);
        assertThat(before).as("Ready means every party's pod is there").isNotNull();
        clusters.setReady(before, false);
        Awaitility.await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() ->
                assertThat(clusters.get("stuck").getStatus().partiesReady).isEqualTo("2/3"));
        clusters.edit("stuck", c -> {
            c.getSpec().image.tag = "0.1.2";
            return c;
        });
        Awaitility.await().atMost(READY).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            Pod now = clusters.partyPod("stuck", 2);
            assertThat(now.getMetadata().getUid()).as("the stuck pod was replaced").isNotEqualTo(before.getMetadata().getUid());
            assertThat(image(now)).endsWith(":0.1.2");
            assertThat(condition(clusters.get("stuck"), "Ready")).as("%s; %s", clusters.get("stuck").getStatus().conditions,
                    List.of(statefulSet("stuck", 1).getStatus(), statefulSet("stuck", 2).getStatus(), statefulSet("stuck", 3).getStatus())).isEqualTo("True");
            for (int i = 1; i <= 3; i++) assertThat(image(clusters.partyPod("stuck", i))).endsWith(":0.1.2");
        });
    }

    @Test
    void whatIsDeletedByHandComesBackAndAKekSecretWithTheSameKey() {
        clusters.createMinimal("repair");
        awaitReady("repair");
        Secret kek = admin.secrets().inNamespace(NS).withName("repair-party-2-kek").get();
        assertThat(kek.getData()).containsKey("current");
        String uid = statefulSet("repair", 2).getMetadata().getUid();
        admin.apps().statefulSets().inNamespace(NS).withName("repair-party-2").delete();
        admin.secrets().inNamespace(NS).withName("repair-party-2-kek").delete();
        Awaitility.await().atMost(READY).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            StatefulSet s = statefulSet("repair", 2);
            assertThat(s.getMetadata().getUid()).isNotEqualTo(uid);
            Secret again = admin.secrets().inNamespace(NS).withName("repair-party-2-kek").get();
            assertThat(again.getData().get("current")).as("rewritten from the backend, not a new key").isEqualTo(kek.getData().get("current"));
            assertThat(condition(clusters.get("repair"), "Ready")).isEqualTo("True");
        });
    }

    @Test
    void anotherFieldManagersChangeToAnOwnedFieldIsTakenBackWhileItsOwnFieldsStay() {
        clusters.createMinimal("shared");
        awaitReady("shared");
        // someone applies their own opinion of the router: 5 replicas, and an annotation of theirs
        admin.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder().withNewMetadata().withName("shared-router").withNamespace(NS)
                        .withAnnotations(Map.of("example.com/owner", "team-a")).endMetadata().withNewSpec().withReplicas(5).endSpec().build())
                .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("someone-else").withForce(true).build());
        Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            var d = admin.apps().deployments().inNamespace(NS).withName("shared-router").get();
            assertThat(d.getSpec().getReplicas()).as("the operator owns replicas").isEqualTo(2);
            assertThat(d.getMetadata().getAnnotations()).as("a field the operator never set is left alone").containsEntry("example.com/owner", "team-a");
        });
    }

    @Test
    void whatIsTurnedOffIsDeletedWithTheChartsRightsAndWhatTheClusterDoesNotOwnStays() {
        clusters.createMinimal("prune");
        awaitReady("prune");
        assertThat(admin.network().v1().networkPolicies().inNamespace(NS).withLabel("app.kubernetes.io/instance", "prune").list().getItems()).hasSize(4);
        assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(NS).withName("prune-router").get()).isNotNull();
        // a policy someone made with the cluster's labels, but no controller reference to it
        admin.network().v1().networkPolicies().inNamespace(NS).resource(new NetworkPolicyBuilder().withNewMetadata().withName("prune-hand-made")
                .addToLabels("app.kubernetes.io/instance", "prune").addToLabels("app.kubernetes.io/managed-by", "mpc-operator").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().endSpec().build()).create();
        clusters.edit("prune", c -> {
            c.getSpec().networkPolicy = false;
            c.getSpec().router.replicas = 1;
            return c;
        });
        Awaitility.await().atMost(READY).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            assertThat(admin.network().v1().networkPolicies().inNamespace(NS).withLabel("app.kubernetes.io/instance", "prune").list().getItems())
                    .extracting(p -> p.getMetadata().getName()).containsExactly("prune-hand-made");
            assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(NS).withName("prune-router").get()).as("one replica: no budget").isNull();
            assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(NS).withName("prune-parties").get()).as("still wanted").isNotNull();
            assertThat(condition(clusters.get("prune"), "Applied")).isEqualTo("True");
        });
        awaitReady("prune");
    }

    @Test
    void aDeletedClusterIsGarbageCollectedByTheRealCollector() {
        clusters.createMinimal("gone");
        Awaitility.await().atMost(READY).ignoreExceptions().untilAsserted(() -> assertThat(statefulSet("gone", 3)).isNotNull());
        admin.resources(MpcCluster.class).inNamespace(NS).withName("gone").delete();
        Awaitility.await().atMost(READY).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(admin.apps().statefulSets().inNamespace(NS).withLabel("app.kubernetes.io/instance", "gone").list().getItems()).isEmpty();
            assertThat(admin.apps().deployments().inNamespace(NS).withLabel("app.kubernetes.io/instance", "gone").list().getItems()).isEmpty();
            assertThat(admin.pods().inNamespace(NS).withLabel("app.kubernetes.io/instance", "gone").list().getItems()).isEmpty();
        });
    }

    private static StatefulSet statefulSet(String cluster, int party) {
        return admin.apps().statefulSets().inNamespace(NS).withName(cluster + "-party-" + party).get();
    }

    private static String templateImage(StatefulSet s) {
        return s.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static String image(Pod p) {
        return p.getSpec().getContainers().get(0).getImage();
    }
}
