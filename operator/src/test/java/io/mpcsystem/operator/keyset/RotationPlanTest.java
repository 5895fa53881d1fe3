package io.mpcsystem.operator.keyset;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcsystem.operator.crd.KeySetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The rotation state machine against a model of the world it drives: a key backend, one Secret
 * per party, and parties that re-wrap their shares when their pod restarts. After every step the
 * invariant is checked: each party's shares are under a key version its Secret holds.
 */
class RotationPlanTest {
    static final String KS = "keys";
    static final int N = 3;

    /** The world: what the actions change and what the observations read. */
    static final class World {
        final Set<Integer> backendVersions = new TreeSet<>();
        final Set<Integer> retired = new TreeSet<>();
        final Set<Integer> destroyed = new TreeSet<>();
        final Map<Integer, Integer> secretCurrent = new HashMap<>();
        final Map<Integer, Integer> secretPrevious = new HashMap<>();
        final Map<Integer, Integer> shares = new HashMap<>();
        final Map<Integer, String> podHash = new HashMap<>();
        final Set<Integer> broken = new TreeSet<>();
        Instant now = Instant.parse("2026-12-01T00:00:00Z");
        final List<String> log = new ArrayList<>();

        void act(RotationAction a) {
            log.add(a.toString());
            if (a instanceof RotationAction.WriteKeys w) {
                backendVersions.add(w.version());
            } else if (a instanceof RotationAction.WriteSecrets w) {
                assertThat(backendVersions).as("a Secret names only keys the backend holds").contains(w.current());
                if (w.previous() != null) assertThat(backendVersions).contains(w.previous());
                for (int i = 1; i <= N; i++) {
                    secretCurrent.put(i, w.current());
                    if (w.previous() == null) secretPrevious.remove(i);
                    else secretPrevious.put(i, w.previous());
                }
            } else if (a instanceof RotationAction.RetireVersion r) {
                retired.add(r.version());
            } else if (a instanceof RotationAction.DestroyVersion d) {
                backendVersions.remove(d.version());
                destroyed.add(d.version());
            }
        }

        /** The MpcCluster reconciler and the kubelet: a released hash restarts the party, which re-wraps if it can. */
        void kubelet(KeySetStatus s) {
            for (KeySetStatus.PartyKeyStatus p : s.parties) {
                if (p.podKeyHash.equals(podHash.get(p.index))) continue;
                podHash.put(p.index, p.podKeyHash);
                if (broken.contains(p.index)) continue;
                Integer cur = secretCurrent.get(p.index);
                Integer have = shares.get(p.index);
                if (have == null || have.equals(cur) || have.equals(secretPrevious.get(p.index))) shares.put(p.index, cur);
            }
        }

        PartyObservation observe(KeySetStatus s, int i) {
            if (broken.contains(i)) return new PartyObservation(false, null, "its pod is not ready");
            String released = s.parties.stream().filter(p -> p.index == i).findFirst().orElseThrow().podKeyHash;
            return new PartyObservation(released.equals(podHash.get(i)), shares.get(i), "shares under " + shares.get(i));
        }

        void invariant() {
            for (int i = 1; i <= N; i++) {
                Integer have = shares.get(i);
                if (have == null) continue;
                assertThat(Set.of(secretCurrent.get(i), secretPrevious.getOrDefault(i, -1)))
                        .as("party %d's shares (version %d) must stay decryptable; log %s", i, have, log).contains(have);
                assertThat(backendVersions).as("the backend keeps party %d's version %d", i, have).contains(have);
            }
        }
    }

    static RotationPlan.Inputs inputs(World w, KeySetStatus s, String rotate, String rollback, Optional<Duration> every) {
        return new RotationPlan.Inputs(KS, N, w.now, every, Duration.ofMinutes(10), Duration.ofHours(168), rotate, rollback, i -> w.observe(s, i), false);
    }

    /** Runs steps until the phase is one of {@code stopAt} (after at least one step), with optional lost status writes. */
    static KeySetStatus drive(World w, KeySetStatus s, String rotate, String rollback, Set<String> stopAt, int crashAtStep) {
        for (int step = 0; step < 200; step++) {
            RotationPlan.Step st = RotationPlan.plan(s, inputs(w, s, rotate, rollback, Optional.empty()));
            st.actions().forEach(w::act);
            w.invariant();
            if (step == crashAtStep) {
                // the operator dies after acting and before recording: the same status is planned again
                w.now = w.now.plusSeconds(1);
                continue;
            }
            s = st.next();
            w.kubelet(s);
            w.invariant();
            w.now = w.now.plusSeconds(5);
            if (stopAt.contains(s.rotation.phase) && step > 0) return s;
        }
        throw new AssertionError("no progress: " + s.rotation.phase + " " + s.rotation.message);
    }

    static KeySetStatus created(World w) {
        RotationPlan.Step st = RotationPlan.plan(null, inputs(w, new KeySetStatus(), null, null, Optional.empty()));
        assertThat(st.actions()).containsExactly(new RotationAction.WriteKeys(1), new RotationAction.WriteSecrets(1, null));
        st.actions().forEach(w::act);
        w.kubelet(st.next());
        w.invariant();
        assertThat(st.next().currentVersion).isEqualTo(1);
        assertThat(w.shares).containsEntry(1, 1).containsEntry(2, 1).containsEntry(3, 1);
        return st.next();
    }

    @Test
    void aRequestedRotationRollsPartyByPartyAndRetiresTheOldVersion() {
        World w = new World();
        KeySetStatus s = created(w);
        RotationPlan.Step first = RotationPlan.plan(s, inputs(w, s, "now", null, Optional.empty()));
        assertThat(first.next().rotation.phase).isEqualTo(RotationPlan.WRITING_KEYS);
        assertThat(first.event().reason()).isEqualTo("RotationStarted");
        List<Integer> rollingOrder = new ArrayList<>();
        s = first.next();
        for (int step = 0; step < 50 && !RotationPlan.IDLE.equals(s.rotation.phase); step++) {
            RotationPlan.Step st = RotationPlan.plan(s, inputs(w, s, "now", null, Optional.empty()));
            st.actions().forEach(w::act);
            s = st.next();
            if (RotationPlan.ROLLING.equals(s.rotation.phase) && (rollingOrder.isEmpty() || !rollingOrder.get(rollingOrder.size() - 1).equals(s.rotation.party))) {
                rollingOrder.add(s.rotation.party);
                // only the released party has the new hash; the others keep theirs until their turn
                long released = s.parties.stream().filter(p -> p.podKeyHash.equals(KeyVersionHash.of(KS, 2))).count();
                assertThat(released).isEqualTo(rollingOrder.size());
            }
            w.kubelet(s);
            w.invariant();
        }
        assertThat(rollingOrder).containsExactly(1, 2, 3);
        assertThat(s.currentVersion).isEqualTo(2);
        assertThat(s.lastRotationResult).startsWith("Succeeded");
        assertThat(w.shares.values()).containsOnly(2);
        assertThat(w.secretPrevious).as("previous key dropped once every party is done").isEmpty();
        assertThat(w.retired).containsExactly(1);
        assertThat(s.retired).extracting(r -> r.version).containsExactly(1);
        // the same annotation value does not rotate again
        assertThat(RotationPlan.plan(s, inputs(w, s, "now", null, Optional.empty())).next().rotation.phase).isEqualTo(RotationPlan.IDLE);
    }

    @Test
    void anOperatorRestartAtAnyStepResumesAndLosesNothing() {
        for (int crashAt = 0; crashAt < 12; crashAt++) {
            World w = new World();
            KeySetStatus s = created(w);
            s = drive(w, s, "r1", null, Set.of(RotationPlan.IDLE), crashAt);
            assertThat(s.currentVersion).as("crash at step %d", crashAt).isEqualTo(2);
            assertThat(w.shares.values()).as("crash at step %d", crashAt).containsOnly(2);
            assertThat(w.secretPrevious).isEmpty();
        }
    }

    @Test
    void aFailingPartyAtAnyPositionStopsTheRolloutKeepsBothKeysAndRollsBack() {
        for (int bad = 1; bad <= N; bad++) {
            World w = new World();
            KeySetStatus s = created(w);
            w.broken.add(bad);
            // the broken party's pod never becomes ready: time passes until the timeout
            KeySetStatus running = drive(w, s, "r1", null, Set.of(RotationPlan.ROLLING), -1);
            for (int i = 0; i < 200 && !RotationPlan.FAILED.equals(running.rotation.phase); i++) {
                RotationPlan.Step st = RotationPlan.plan(running, inputs(w, running, "r1", null, Optional.empty()));
                st.actions().forEach(w::act);
                running = st.next();
                w.kubelet(running);
                w.invariant();
                w.now = w.now.plusSeconds(30);
            }
            assertThat(running.rotation.phase).as("party %d broken", bad).isEqualTo(RotationPlan.FAILED);
            assertThat(running.rotation.message).contains("party " + bad).contains("rollback");
            assertThat(running.rotation.party).isEqualTo(bad);
            for (int i = 1; i <= N; i++) {
                assertThat(w.secretPrevious).as("both keys stay while failed").containsEntry(i, 1);
                assertThat(w.secretCurrent).containsEntry(i, 2);
            }
            // nothing happens until someone decides
            assertThat(RotationPlan.plan(running, inputs(w, running, "r1", null, Optional.empty())).actions()).isEmpty();
            w.broken.remove(bad);
            KeySetStatus back = drive(w, running, "r1", "rb1", Set.of(RotationPlan.IDLE), -1);
            assertThat(back.currentVersion).isEqualTo(1);
            assertThat(back.lastRotationResult).startsWith("RolledBack");
            assertThat(w.shares.values()).containsOnly(1);
            assertThat(w.secretCurrent.values()).containsOnly(1);
            assertThat(w.secretPrevious).isEmpty();
            assertThat(w.retired).containsExactly(2);
            // the failed version is never reused
            RotationPlan.Step again = RotationPlan.plan(back, inputs(w, back, "r2", "rb1", Optional.empty()));
            assertThat(again.next().rotation.toVersion).isEqualTo(3);
        }
    }

    @Test
    void aFailedRotationCanBeRetriedOnceThePartyIsFixed() {
        World w = new World();
        KeySetStatus s = created(w);
        w.broken.add(2);
        KeySetStatus running = drive(w, s, "r1", null, Set.of(RotationPlan.ROLLING), -1);
        w.now = w.now.plus(Duration.ofMinutes(11));
        for (int i = 0; i < 20 && !RotationPlan.FAILED.equals(running.rotation.phase); i++) {
            RotationPlan.Step st = RotationPlan.plan(running, inputs(w, running, "r1", null, Optional.empty()));
            running = st.next();
            w.kubelet(running);
            w.now = w.now.plus(Duration.ofMinutes(11));
        }
        assertThat(running.rotation.phase).isEqualTo(RotationPlan.FAILED);
        assertThat(RotationPlan.plan(running, inputs(w, running, "r1", null, Optional.empty())).event()).isNull();
        w.broken.remove(2);
        w.podHash.remove(2);
        KeySetStatus done = drive(w, running, "r2", null, Set.of(RotationPlan.IDLE), -1);
        assertThat(done.currentVersion).isEqualTo(2);
        assertThat(w.shares.values()).containsOnly(2);
    }

    @Test
    void scheduledRotationStartsWhenDueAndRetiredKeysAreDestroyedAfterTheirGracePeriod() {
        World w = new World();
        KeySetStatus s = created(w);
        Optional<Duration> every = Optional.of(Duration.ofHours(720));
        w.now = w.now.plus(Duration.ofHours(719));
        RotationPlan.Step early = RotationPlan.plan(s, inputs(w, s, null, null, every));
        assertThat(early.next().rotation.phase).isEqualTo(RotationPlan.IDLE);
        assertThat(early.recheckAfter()).isEqualTo(Duration.ofHours(1));
        w.now = w.now.plus(Duration.ofHours(1));
        RotationPlan.Step due = RotationPlan.plan(s, inputs(w, s, null, null, every));
        assertThat(due.next().rotation.phase).isEqualTo(RotationPlan.WRITING_KEYS);
        assertThat(due.next().rotation.message).startsWith("scheduled");
        s = drive(w, due.next(), null, null, Set.of(RotationPlan.IDLE), -1);
        assertThat(s.retired).extracting(r -> r.version).containsExactly(1);
        w.now = w.now.plus(Duration.ofHours(167));
        assertThat(RotationPlan.plan(s, inputs(w, s, null, null, Optional.empty())).actions()).isEmpty();
        w.now = w.now.plus(Duration.ofHours(1));
        RotationPlan.Step destroy = RotationPlan.plan(s, inputs(w, s, null, null, Optional.empty()));
        assertThat(destroy.actions()).containsExactly(new RotationAction.DestroyVersion(1));
        destroy.actions().forEach(w::act);
        w.invariant();
        assertThat(destroy.next().retired).isEmpty();
    }

    @Test
    void aPartyStillHoldingOldSharesIsNotConsideredDone() {
        World w = new World();
        KeySetStatus s = created(w);
        s = drive(w, s, "r1", null, Set.of(RotationPlan.ROLLING), -1);
        // party 1 restarted but reports shares under the old version (e.g. re-wrap not finished)
        w.shares.put(1, 1);
        RotationPlan.Step st = RotationPlan.plan(s, inputs(w, s, "r1", null, Optional.empty()));
        assertThat(st.next().rotation.party).isEqualTo(1);
        assertThat(st.next().rotation.message).contains("waiting for party 1");
        assertThat(st.recheckAfter()).isEqualTo(RotationPlan.POLL);
    }
}
