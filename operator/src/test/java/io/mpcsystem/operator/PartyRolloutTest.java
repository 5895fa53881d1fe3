package io.mpcsystem.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.desired.DesiredParties;
import io.mpcsystem.operator.reconciler.PartyRollout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A change of the parties' template rolls one party at a time, each settled before the next; key versions are never held back. */
class PartyRolloutTest {
    private static List<StatefulSet> desired(MpcCluster c, Map<Integer, String> kek) {
        return DesiredParties.statefulSets(c, kek).stream().map(PartyRollout::stamp).toList();
    }

    private static StatefulSet running(StatefulSet s, boolean ready) {
        StatefulSet copy = Serialization.clone(s);
        copy.getMetadata().setGeneration(1L);
        copy.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(1L).withCurrentRevision("a").withUpdateRevision("a")
                .withReadyReplicas(ready ? 1 : 0).build());
        return copy;
    }

    private static String image(StatefulSet s) {
        return s.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void aNewImageRollsOnePartyAtATimeEachReadyBeforeTheNext() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        Map<Integer, StatefulSet> existing = new HashMap<>();
        List<StatefulSet> v1 = desired(c, Map.of());
        for (int i = 1; i <= 3; i++) existing.put(i, running(v1.get(i - 1), true));
        assertThat(PartyRollout.plan(v1, existing, null).progressing()).as("nothing to roll").isFalse();

        c.getSpec().image.tag = "0.2.0";
        List<StatefulSet> v2 = desired(c, Map.of());
        PartyRollout.Plan p = PartyRollout.plan(v2, existing, null);
        assertThat(p.rollingParty()).isEqualTo(1);
        assertThat(p.waiting()).containsExactly(2, 3);
        assertThat(p.apply()).extracting(PartyRolloutTest::image).containsExactly("mpc-system/server-party:0.2.0", "mpc-system/server-party:0.1.0",
                "mpc-system/server-party:0.1.0");

        // party 1 got the new template but its pod is not ready yet: the others keep waiting
        existing.put(1, running(p.apply().get(0), false));
        p = PartyRollout.plan(v2, existing, 1);
        assertThat(p.rollingParty()).isEqualTo(1);
        assertThat(p.apply()).extracting(PartyRolloutTest::image).containsExactly("mpc-system/server-party:0.2.0", "mpc-system/server-party:0.1.0",
                "mpc-system/server-party:0.1.0");
        // the controller has not observed the new generation yet: not settled either
        StatefulSet unobserved = running(p.apply().get(0), true);
        unobserved.getMetadata().setGeneration(2L);
        existing.put(1, unobserved);
        assertThat(PartyRollout.plan(v2, existing, 1).rollingParty()).isEqualTo(1);

        existing.put(1, running(p.apply().get(0), true));
        p = PartyRollout.plan(v2, existing, 1);
        assertThat(p.rollingParty()).isEqualTo(2);
        assertThat(p.waiting()).containsExactly(3);
        existing.put(2, running(p.apply().get(1), true));
        p = PartyRollout.plan(v2, existing, 2);
        assertThat(p.rollingParty()).isEqualTo(3);
        existing.put(3, running(p.apply().get(2), true));
        p = PartyRollout.plan(v2, existing, 3);
        assertThat(p.progressing()).isFalse();
        assertThat(p.apply()).extracting(PartyRolloutTest::image).containsOnly("mpc-system/server-party:0.2.0");
    }

    @Test
    void aKeyVersionReleasedByTheKeySetIsAppliedEvenToAHeldBackParty() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        Map<Integer, StatefulSet> existing = new HashMap<>();
        List<StatefulSet> v1 = desired(c, Map.of());
        for (int i = 1; i <= 3; i++) existing.put(i, running(v1.get(i - 1), true));
        c.getSpec().logLevel = "DEBUG";
        List<StatefulSet> v2 = desired(c, Map.of(3, "kek-v2"));
        PartyRollout.Plan p = PartyRollout.plan(v2, existing, null);
        assertThat(p.rollingParty()).isEqualTo(1);
        StatefulSet three = p.apply().get(2);
        assertThat(three.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry(DesiredParties.KEK_HASH_ANNOTATION, "kek-v2");
        assertThat(three.getSpec().getTemplate().getMetadata().getAnnotations().get(PartyRollout.TEMPLATE_HASH_ANNOTATION))
                .as("party 3 keeps its old settings").isEqualTo(existing.get(3).getSpec().getTemplate().getMetadata().getAnnotations()
                        .get(PartyRollout.TEMPLATE_HASH_ANNOTATION));
        // only a key version change: nothing for this rollout to do
        List<StatefulSet> kekOnly = desired(DesiredStateTest.sample(), Map.of(1, "kek-v2"));
        assertThat(PartyRollout.plan(kekOnly, existing, null).progressing()).isFalse();
    }

    @Test
    void aPartyAlreadyDownHoldsTheReadyOnesButIsItselfRolledFirst() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        List<StatefulSet> v1 = desired(c, Map.of());
        Map<Integer, StatefulSet> existing = new HashMap<>();
        for (int i = 1; i <= 3; i++) existing.put(i, running(v1.get(i - 1), i != 2));
        c.getSpec().image.tag = "0.2.0";
        List<StatefulSet> v2 = desired(c, Map.of());
        PartyRollout.Plan p = PartyRollout.plan(v2, existing, null);
        assertThat(p.rollingParty()).as("the party that is down anyway goes first").isEqualTo(2);
        assertThat(p.waiting()).containsExactly(1, 3);
        // it was rolled and is still not ready: it is the one rolling, the others wait
        existing.put(2, running(p.apply().get(1), false));
        assertThat(PartyRollout.plan(v2, existing, 2).rollingParty()).isEqualTo(2);
        assertThat(PartyRollout.plan(v2, existing, 2).waiting()).containsExactly(1, 3);
        // a party down on its current template (not the rollout's doing) holds ready parties back
        Map<Integer, StatefulSet> crashed = new HashMap<>();
        for (int i = 1; i <= 3; i++) crashed.put(i, running(v2.get(i - 1), i != 3));
        c.getSpec().logLevel = "DEBUG";
        List<StatefulSet> v3 = desired(c, Map.of());
        crashed.put(3, running(v3.get(2), false));
        PartyRollout.Plan held = PartyRollout.plan(v3, crashed, null);
        assertThat(held.rollingParty()).isNull();
        assertThat(held.waiting()).containsExactly(1, 2);
        assertThat(held.blockedBy()).isEqualTo(3);
    }

    @Test
    void aPartyJustRolledCountsAsRollingEvenWithoutTheRecord() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        List<StatefulSet> v1 = desired(c, Map.of());
        Map<Integer, StatefulSet> existing = new HashMap<>();
        for (int i = 1; i <= 3; i++) existing.put(i, running(v1.get(i - 1), true));
        c.getSpec().image.tag = "0.2.0";
        List<StatefulSet> v2 = desired(c, Map.of());
        StatefulSet rolled = running(v2.get(0), true);
        rolled.getMetadata().setGeneration(2L); // the controller has not observed it yet
        existing.put(1, rolled);
        PartyRollout.Plan p = PartyRollout.plan(v2, existing, null);
        assertThat(p.rollingParty()).isEqualTo(1);
        assertThat(p.waiting()).containsExactly(2, 3);
    }

    @Test
    void aMissingPartyIsCreatedAtOnce() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        List<StatefulSet> v1 = desired(c, Map.of());
        Map<Integer, StatefulSet> existing = new HashMap<>(Map.of(1, running(v1.get(0), true), 3, running(v1.get(2), false)));
        PartyRollout.Plan p = PartyRollout.plan(v1, existing, null);
        assertThat(p.apply()).hasSize(3);
        assertThat(p.progressing()).isFalse();
    }
}
