package io.mpcsystem.benchmarks;

import io.mpcsystem.party.SessionLedger;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A party's session ledger holding {@code ids} session ids (loaded from its files, as at a
 * start): what it costs in memory (printed at setup: the index's bytes and the heap it took, per
 * id) and how long the check of an id already run takes (the path of every refused repeat; a new
 * id adds one fsynced append, which the disk decides).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class SessionLedgerBenchmark {
    @Param({"10000000"})
    public int ids;

    private Path dir;
    private SessionLedger ledger;
    private String[] known;
    private int next;

    @Setup(Level.Trial)
    public void load() throws IOException {
        dir = Files.createTempDirectory("ledger-bench-");
        Instant now = Instant.now();
        long bucket = now.getEpochSecond() / 600 * 600;
        known = new String[1024];
        // the ledger's own file format: "<epoch seconds> <id>" per line, one file per ten minutes
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("sessions.ledger." + bucket), StandardCharsets.US_ASCII)) {
            for (int i = 0; i < ids; i++) {
                String id = now.getEpochSecond() + "-" + UUID.randomUUID();
                if (i < known.length) known[i] = id;
                w.write(now.getEpochSecond() + " " + id + "\n");
            }
        }
        long before = usedHeap();
        long t0 = System.nanoTime();
        ledger = new SessionLedger(dir.resolve("sessions.ledger"), Clock.fixed(now, ZoneOffset.UTC));
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        long heap = usedHeap() - before;
        System.out.printf("%nledger: %,d ids loaded in %,d ms; index %,d bytes (%.1f per id); heap %,d bytes (%.1f per id)%n", ledger.size(), loadMs,
                ledger.indexBytes(), (double) ledger.indexBytes() / ledger.size(), heap, (double) heap / ledger.size());
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Benchmark
    public boolean repeatOfAKnownId() {
        return ledger.firstRun(known[next++ & (known.length - 1)]);
    }

    @TearDown(Level.Trial)
    public void remove() throws IOException {
        ledger.close();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(dir);
    }
}
