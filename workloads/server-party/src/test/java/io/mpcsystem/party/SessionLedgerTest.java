package io.mpcsystem.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionLedgerTest {
    /** A bucket's start (10-minute aligned), so that the arithmetic below is plain. */
    private static final Instant T0 = Instant.ofEpochSecond(Instant.parse("2026-12-01T00:00:00Z").getEpochSecond() / 600 * 600);

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    private static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSessionIdRunsOnceAcrossRestartsUntilItIsOlderThanTheRetention(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state");
        Path file = state.resolve("sessions.ledger");
        try (SessionLedger ledger = new SessionLedger(file, at(T0))) {
            assertThat(ledger.firstRun("s-1")).isTrue();
            assertThat(ledger.firstRun("s-1")).isFalse();
            assertThat(ledger.firstRun("s-2")).isTrue();
        }
        assertThat(names(state)).containsExactly("sessions.ledger." + T0.getEpochSecond());
        // a crash mid-append leaves a torn last line: it is skipped, the rest kept
        Files.writeString(state.resolve("sessions.ledger." + T0.getEpochSecond()), "17", java.nio.file.StandardOpenOption.APPEND);
        try (SessionLedger restarted = new SessionLedger(file, at(T0.plusSeconds(60)))) {
            assertThat(restarted.firstRun("s-1")).isFalse();
            assertThat(restarted.firstRun("s-2")).isFalse();
            assertThat(restarted.firstRun("s-3")).isTrue();
        }
        // ten minutes on, a new bucket; the first still counts
        try (SessionLedger later = new SessionLedger(file, at(T0.plus(SessionLedger.BUCKET)))) {
            assertThat(later.firstRun("s-1")).isFalse();
            assertThat(later.firstRun("s-4")).isTrue();
        }
        assertThat(names(state)).hasSize(2);
        // once the first bucket has passed out of the retention its ids are forgotten and its file gone
        try (SessionLedger hourLater = new SessionLedger(file, at(T0.plus(SessionLedger.RETENTION).plus(SessionLedger.BUCKET)))) {
            assertThat(hourLater.firstRun("s-4")).as("in the second bucket: still within the retention").isFalse();
            assertThat(hourLater.firstRun("s-1")).as("older than the retention: forgotten").isTrue();
            assertThatThrownBy(() -> hourLater.firstRun("a b")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed");
        }
        assertThat(names(state)).doesNotContain("sessions.ledger." + T0.getEpochSecond());
    }

    @Test
    void theSingleFileOfEarlierVersionsIsTakenOverAndRemoved(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sessions.ledger");
        Files.writeString(file, T0.minus(Duration.ofHours(2)).getEpochSecond() + " s-old\n" + T0.minusSeconds(600).getEpochSecond() + " s-recent\n");
        try (SessionLedger ledger = new SessionLedger(file, at(T0))) {
            assertThat(ledger.firstRun("s-recent")).isFalse();
            assertThat(ledger.firstRun("s-old")).as("older than the retention").isTrue();
        }
        assertThat(names(dir)).doesNotContain("sessions.ledger").contains("sessions.ledger." + T0.minusSeconds(600).getEpochSecond());
    }

    /** Every id is on disk before firstRun answers: the append is forced, and a new bucket file's name is made durable first. */
    @Test
    void everyAppendIsForcedAndANewFilesDirectoryEntryToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sessions.ledger");
        List<String> events = new CopyOnWriteArrayList<>();
        SessionLedger.Opener watching = (f, options) -> new WatchedChannel(FileChannel.open(f, options), f.getFileName().toString(), events);
        String bucket = "sessions.ledger." + T0.getEpochSecond();
        try (SessionLedger ledger = new SessionLedger(file, at(T0), watching)) {
            events.clear();
            assertThat(ledger.firstRun("s-1")).isTrue();
            assertThat(events).as("the new file's directory entry forced, then the id written and forced")
                    .containsExactly("force " + dir.getFileName(), "write " + bucket, "force " + bucket);
            events.clear();
            assertThat(ledger.firstRun("s-2")).isTrue();
            assertThat(events).containsExactly("write " + bucket, "force " + bucket);
            events.clear();
            assertThat(ledger.firstRun("s-1")).isFalse();
            assertThat(events).isEmpty();
        }
        assertThat(Files.readAllLines(dir.resolve(bucket))).containsExactly(T0.getEpochSecond() + " s-1", T0.getEpochSecond() + " s-2");
    }

    @Test
    void theIndexCostsAFewBytesPerId(@TempDir Path dir) {
        try (SessionLedger ledger = new SessionLedger(dir.resolve("sessions.ledger"), at(T0))) {
            for (int i = 0; i < 20_000; i++) assertThat(ledger.firstRun(T0.getEpochSecond() + "-" + java.util.UUID.randomUUID())).isTrue();
            assertThat(ledger.size()).isEqualTo(20_000);
            assertThat(ledger.indexBytes()).as("bytes for 20,000 ids").isLessThanOrEqualTo(20_000L * 22);
        }
    }

    /** A FileChannel that notes its writes and forces. */
    private static final class WatchedChannel extends FileChannel {
        private final FileChannel real;
        private final String name;
        private final List<String> events;

        WatchedChannel(FileChannel real, String name, List<String> events) {
            this.real = real;
            this.name = name;
            this.events = events;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            events.add("write " + name);
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            events.add("write " + name);
            return real.write(srcs, offset, length);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            events.add("write " + name);
            return real.write(src, position);
        }

        @Override
        public void force(boolean metaData) throws IOException {
            events.add("force " + name);
            real.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            events.add("write " + name);
            return real.transferFrom(src, position, count);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new UnsupportedOperationException("not used by the ledger");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
