package io.mpcsystem.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionLedgerTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void aSessionIdRunsOnceAcrossRestartsUntilItIsOlderThanTheRetention(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("state").resolve("sessions.ledger");
        try (SessionLedger ledger = new SessionLedger(file, Clock.fixed(T0, ZoneOffset.UTC))) {
            assertThat(ledger.firstRun("s-1")).isTrue();
            assertThat(ledger.firstRun("s-1")).isFalse();
            assertThat(ledger.firstRun("s-2")).isTrue();
        }
        // a crash mid-append leaves a torn last line: it is skipped, the rest kept
        Files.writeString(file, "17", java.nio.file.StandardOpenOption.APPEND);
        try (SessionLedger restarted = new SessionLedger(file, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC))) {
            assertThat(restarted.firstRun("s-1")).isFalse();
            assertThat(restarted.firstRun("s-2")).isFalse();
            assertThat(restarted.firstRun("s-3")).isTrue();
        }
        try (SessionLedger weekLater = new SessionLedger(file, Clock.fixed(T0.plus(SessionLedger.RETENTION).plusSeconds(30), ZoneOffset.UTC))) {
            assertThat(weekLater.firstRun("s-3")).as("recorded a minute later: still within the retention").isFalse();
            assertThat(weekLater.firstRun("s-1")).as("older than the retention: forgotten").isTrue();
        }
        assertThat(Files.readAllLines(file)).hasSize(2);
        try (SessionLedger any = new SessionLedger(file, Clock.fixed(T0, ZoneOffset.UTC))) {
            assertThatThrownBy(() -> any.firstRun("a b")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
