package io.mpcsystem.operator.refresh;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.mpcsystem.operator.crd.KeySetStatus;
import io.mpcsystem.operator.keyset.RotationPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The share refresh step by step against an in-memory coordinator: every key once, one session at
 * a time, a failure stopping the pass and a request resuming it, an operator restart after every
 * step, the schedule, timeouts, and no overlap with key-encryption-key rotation.
 */
class RefreshPlanTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private Instant now = T0;
    private final List<RotationPlan.Event> events = new ArrayList<>();

    private RefreshPlan.Inputs inputs(InMemoryCoordinator c, String request, Optional<Duration> every, boolean rotationIdle) {
        return new RefreshPlan.Inputs(now, T0, every, TIMEOUT, request, rotationIdle, c);
    }

    /** One step, recorded the way the controller records it (through JSON, as the status patch does). */
    private KeySetStatus step(KeySetStatus s, RefreshPlan.Inputs in) {
        RefreshPlan.Step step = RefreshPlan.plan(s, in);
        if (step.event() != null) events.add(step.event());
        now = now.plusSeconds(1);
        return Serialization.unmarshal(Serialization.asJson(step.next()), KeySetStatus.class);
    }

    /** Steps until the pass ends, the coordinator finishing each session one poll after it started. */
    private KeySetStatus runPass(InMemoryCoordinator c, KeySetStatus s, String request) {
        for (int i = 0; i < 200; i++) {
            assertThat(c.runningCount()).as("refresh sessions running at once").isLessThanOrEqualTo(1);
            s = step(s, inputs(c, request, Optional.empty(), true));
            if (!RefreshPlan.running(s)) return s;
            c.completeRunning();
        }
        throw new AssertionError("the refresh did not end: " + s.refresh.message);
    }

    private static KeySetStatus idle() {
        KeySetStatus s = new KeySetStatus();
        s.currentVersion = 1;
        return s;
    }

    @Test
    void aRequestRefreshesEveryKeyOnceOneSessionAtATime() {
        InMemoryCoordinator c = new InMemoryCoordinator("k1", "k2", "k3", "k4", "k5");
        KeySetStatus s = runPass(c, idle(), "now");

        assertThat(s.refresh.phase).isEqualTo(RefreshPlan.IDLE);
        assertThat(s.refresh.keysRefreshed).isEqualTo(5);
        assertThat(c.started).containsExactly("k1", "k2", "k3", "k4", "k5");
        assertThat(c.generations).containsOnlyKeys("k1", "k2", "k3", "k4", "k5").allSatisfy((k, g) -> assertThat(g).isEqualTo(1));
        assertThat(s.lastRefreshResult).startsWith("Succeeded").contains("5 keys");
        assertThat(s.handledRefreshRequest).isEqualTo("now");
        assertThat(events).extracting(RotationPlan.Event::reason).containsExactly("RefreshStarted", "SharesRefreshed");

        // the same annotation value again is not a new request
        KeySetStatus again = step(s, inputs(c, "now", Optional.empty(), true));
        assertThat(again.refresh.phase).isEqualTo(RefreshPlan.IDLE);
        assertThat(c.started).hasSize(5);
    }

    @Test
    void noKeysIsARefreshOfNothing() {
        KeySetStatus s = runPass(new InMemoryCoordinator(), idle(), "now");
        assertThat(s.refresh.phase).isEqualTo(RefreshPlan.IDLE);
        assertThat(s.lastRefreshResult).contains("0 keys");
    }

    @Test
    void aFailedSessionStopsThePassNamingKeyAndCulpritAndARequestResumesAtThatKey() {
        InMemoryCoordinator c = new InMemoryCoordinator("k1", "k2", "k3", "k4");
        KeySetStatus s = idle();
        for (int i = 0; i < 100 && !"k3".equals(c.runningKey()); i++) {
            s = step(s, inputs(c, "first", Optional.empty(), true));
            if (!"k3".equals(c.runningKey())) c.completeRunning();
        }
        c.failRunning("party-2 sent a share that does not match its commitment", "party-2");
        s = step(s, inputs(c, "first", Optional.empty(), true));

        assertThat(s.refresh.phase).isEqualTo(RefreshPlan.FAILED);
        assertThat(s.refresh.message).contains("key k3", "party-2", "discarded");
        assertThat(s.lastRefreshResult).startsWith("Failed");
        assertThat(events.get(events.size() - 1)).satisfies(e -> {
            assertThat(e.warning()).isTrue();
            assertThat(e.reason()).isEqualTo("RefreshFailed");
        });
        assertThat(c.started).containsExactly("k1", "k2", "k3");

        // nothing happens on its own while Failed
        s = step(s, inputs(c, "first", Optional.empty(), true));
        assertThat(s.refresh.phase).isEqualTo(RefreshPlan.FAILED);
        assertThat(c.started).hasSize(3);

        s = runPass(c, s, "second");
        assertThat(s.refresh.phase).isEqualTo(RefreshPlan.IDLE);
        assertThat(c.started).containsExactly("k1", "k2", "k3", "k3", "k4");
        assertThat(c.generations).containsOnlyKeys("k1", "k2", "k3", "k4").allSatisfy((k, g) -> assertThat(g).isEqualTo(1));
        assertThat(s.refresh.keysRefreshed).isEqualTo(4);
        assertThat(events).extracting(RotationPlan.Event::reason).contains("RefreshRetried");
    }

    /**
     * At step k the operator acts (the coordinator sees the session requests) but dies before the
     * status is recorded; the next operator plans from the older status. Every key still ends up
     * refreshed, never by two sessions at once, and the pass ends.
     */
    @Test
    void anOperatorRestartAfterEveryStepLosesNoKeyAndNeverRunsTwoSessionsOfAKey() {
        int crashPoints = 0;
        for (int crashAt = 0; ; crashAt++) {
            InMemoryCoordinator c = new InMemoryCoordinator("k1", "k2", "k3", "k4");
            KeySetStatus s = idle();
            boolean crashed = false;
            for (int i = 0; i < 200; i++) {
                assertThat(c.runningCount()).isLessThanOrEqualTo(1);
                KeySetStatus next = step(s, inputs(c, "now", Optional.empty(), true));
                if (i == crashAt) crashed = true; // acted, but the status patch never happened
                else s = next;
                if (i > 0 && !RefreshPlan.running(s) && s.handledRefreshRequest != null) break;
                c.completeRunning();
            }
            if (!crashed) break; // the pass ended before step crashAt: every step has had its crash
            crashPoints++;
            assertThat(s.refresh.phase).as("crash at step %d", crashAt).isEqualTo(RefreshPlan.IDLE);
            assertThat(c.generations).as("crash at step %d", crashAt).containsOnlyKeys("k1", "k2", "k3", "k4")
                    .allSatisfy((k, g) -> assertThat(g).isBetween(1, 2));
            assertThat(s.refresh.keysRefreshed).as("crash at step %d", crashAt).isEqualTo(4);
        }
        assertThat(crashPoints).as("steps of a pass over four keys").isGreaterThanOrEqualTo(6); // start, one per key (completing one starts the next), finish
    }

    @Test
    void aStartRefusedBecauseAnOrphanSessionRunsWaitsForIt() {
        InMemoryCoordinator c = new InMemoryCoordinator("k1");
        assertThat(c.start("k1")).isInstanceOf(RefreshCoordinator.Started.class); // started by an operator that then died
        KeySetStatus s = step(idle(), inputs(c, "now", Optional.empty(), true));
        s = step(s, inputs(c, "now", Optional.empty(), true));
        assertThat(s.refresh.phase).isEqualTo(RefreshPlan.REFRESHING);
        assertThat(s.refresh.sessionId).isNull();
        assertThat(s.refresh.message).contains("being refreshed by session s-1");

        c.completeRunning();
        s = runPass(c, s, "now");
        assertThat(s.refresh.phase).isEqualTo(RefreshPlan.IDLE);
        assertThat(c.generations.get("k1")).isEqualTo(2);
    }

    @Test
    void aKeyGoneBetweenListingAndStartingIsSkipped() {
        InMemoryCoordinator c = new InMemoryCoordinator("k1", "k2", "k3") {
            @Override
            public List<String> keys(String after, int limit) {
                List<String> page = super.keys(after, limit);
                if (page.contains("k2")) keys.remove("k2");
                return page;
            }
        };
        KeySetStatus s = runPass(c, idle(), "now");
        assertThat(s.refresh.phase).isEqualTo(RefreshPlan.IDLE);
        assertThat(c.started).containsExactly("k1", "k3");
        assertThat(s.refresh.keysRefreshed).isEqualTo(2);
    }

    @Test
    void anUnreachableCoordinatorIsWaitedForUntilTheKeyTimeout() {
        InMemoryCoordinator c = new InMemoryCoordinator("k1");
        KeySetStatus s = step(idle(), inputs(c, "now", Optional.empty(), true));
        c.down = true;
        RefreshPlan.Step waiting = RefreshPlan.plan(s, inputs(c, "now", Optional.empty(), true));
        assertThat(waiting.next().refresh.phase).isEqualTo(RefreshPlan.REFRESHING);
        assertThat(waiting.next().refresh.message).contains("unavailable", "connection refused");
        assertThat(waiting.recheckAfter()).isEqualTo(RefreshPlan.POLL);

        now = now.plus(TIMEOUT);
        s = step(s, inputs(c, "now", Optional.empty(), true));
        assertThat(s.refresh.phase).isEqualTo(RefreshPlan.FAILED);
        assertThat(s.refresh.message).contains("within PT10M", "unavailable");
    }

    @Test
    void aSessionThatNeverEndsFailsTheRefreshAfterTheKeyTimeout() {
        InMemoryCoordinator c = new InMemoryCoordinator("k1");
        KeySetStatus s = step(idle(), inputs(c, "now", Optional.empty(), true));
        s = step(s, inputs(c, "now", Optional.empty(), true));
        assertThat(s.refresh.sessionId).isEqualTo("s-1");
        now = now.plus(TIMEOUT);
        s = step(s, inputs(c, "now", Optional.empty(), true));
        assertThat(s.refresh.phase).isEqualTo(RefreshPlan.FAILED);
        assertThat(s.refresh.message).contains("k1", "RUNNING", "follow the coordinator's outcome of session s-1");
    }

    @Test
    void theScheduleCountsFromCreationThenFromTheLastRefresh() {
        InMemoryCoordinator c = new InMemoryCoordinator("k1");
        Optional<Duration> daily = Optional.of(Duration.ofHours(24));
        now = T0.plus(Duration.ofHours(1));
        RefreshPlan.Step early = RefreshPlan.plan(idle(), inputs(c, null, daily, true));
        assertThat(early.next().refresh.phase).isEqualTo(RefreshPlan.IDLE);
        assertThat(early.recheckAfter()).isEqualTo(Duration.ofHours(23));

        now = T0.plus(Duration.ofHours(24));
        KeySetStatus s = step(idle(), inputs(c, null, daily, true));
        assertThat(s.refresh.phase).isEqualTo(RefreshPlan.REFRESHING);
        assertThat(s.refresh.message).startsWith("scheduled");
        for (int i = 0; i < 20 && RefreshPlan.running(s); i++) {
            s = step(s, inputs(c, null, daily, true));
            c.completeRunning();
        }
        assertThat(s.refresh.phase).isEqualTo(RefreshPlan.IDLE);
        Instant finished = Instant.parse(s.lastRefreshTime);
        RefreshPlan.Step after = RefreshPlan.plan(s, inputs(c, null, daily, true));
        assertThat(after.recheckAfter()).isEqualTo(Duration.between(now, finished.plus(Duration.ofHours(24))));
        assertThat(after.next().refresh.phase).isEqualTo(RefreshPlan.IDLE);
    }

    @Test
    void aRefreshWaitsForARotationAndARotationWaitsForARefresh() {
        InMemoryCoordinator c = new InMemoryCoordinator("k1");
        KeySetStatus s = step(idle(), inputs(c, "now", Optional.empty(), false));
        assertThat(s.refresh.phase).isEqualTo(RefreshPlan.IDLE);
        assertThat(s.handledRefreshRequest).as("the request waits, it is not dropped").isNull();
        assertThat(s.refresh.message).contains("waits until the key-encryption-key rotation has ended");
        assertThat(c.started).isEmpty();

        s = step(s, inputs(c, "now", Optional.empty(), true));
        assertThat(RefreshPlan.running(s)).isTrue();

        // a rotation requested while the refresh runs does not start, and is not forgotten
        s.lastRotationTime = T0.toString();
        s.highestVersion = 1;
        RotationPlan.Inputs rotate = new RotationPlan.Inputs("keys", 3, now, Optional.empty(), TIMEOUT, Duration.ofHours(1), "rotate-1", null,
                i -> {
                    throw new AssertionError("no party is observed while no rotation runs");
                }, RefreshPlan.running(s));
        RotationPlan.Step held = RotationPlan.plan(s, rotate);
        assertThat(held.next().rotation.phase).isEqualTo(RotationPlan.IDLE);
        assertThat(held.next().handledRotateRequest).isNull();
        assertThat(held.recheckAfter()).isEqualTo(RotationPlan.POLL);

        RotationPlan.Inputs afterRefresh = new RotationPlan.Inputs("keys", 3, now, Optional.empty(), TIMEOUT, Duration.ofHours(1), "rotate-1", null,
                i -> null, false);
        assertThat(RotationPlan.plan(s, afterRefresh).next().rotation.phase).isEqualTo(RotationPlan.WRITING_KEYS);
    }
}
