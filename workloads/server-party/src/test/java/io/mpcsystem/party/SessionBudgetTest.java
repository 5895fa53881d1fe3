package io.mpcsystem.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SessionBudgetTest {
    /** A clock the test moves. */
    private static final class Moving extends Clock {
        Instant now = Instant.parse("2026-12-06T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void presignaturesHeldAreBoundedPerKeyAndInAll() {
        SessionBudget b = new SessionBudget(new SessionBudget.Limits(3, 5, 1), Clock.systemUTC());
        b.admitPresign("k1", 2, 4);
        assertThatThrownBy(() -> b.admitPresign("k1", 3, 3)).hasMessageContaining("holds 3 presignatures of it");
        assertThatThrownBy(() -> b.admitPresign("k2", 0, 5)).hasMessageContaining("5 in all");
        assertThat(b.refusedPresignSessions()).isEqualTo(2);
    }

    @Test
    void refreshesOfAKeyAreBoundedPerHourSlidingAndPerKey() {
        Moving clock = new Moving();
        SessionBudget b = new SessionBudget(new SessionBudget.Limits(1, 1, 2), clock);
        b.admitRefresh("k1");
        clock.now = clock.now.plus(Duration.ofMinutes(30));
        b.admitRefresh("k1");
        b.admitRefresh("k2");
        assertThatThrownBy(() -> b.admitRefresh("k1")).hasMessageContaining("refreshed 2 times in the last hour");
        // an hour after the first, one slot is free again; the refused attempt took none
        clock.now = clock.now.plus(Duration.ofMinutes(30)).plusSeconds(1);
        b.admitRefresh("k1");
        assertThatThrownBy(() -> b.admitRefresh("k1")).hasMessageContaining("refreshed 2 times");
        assertThat(b.refusedRefreshSessions()).isEqualTo(2);
        assertThatThrownBy(() -> new SessionBudget.Limits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
