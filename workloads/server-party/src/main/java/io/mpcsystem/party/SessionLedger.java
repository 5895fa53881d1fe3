package io.mpcsystem.party;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The session ids this party has run protocol rounds in, kept on disk (fsynced before the run
 * starts) for {@link #RETENTION}: a session id is run at most once, even across restarts, so a
 * coordinator repeating an id cannot make this party redo a run (its OT extensions among them)
 * with the same id, nor run a client's authorization twice (it names its session).
 *
 * <p>An hour is enough because no session a party takes is older: a client's session is bound to
 * an authorization valid for at most ten minutes, and the coordinator's own sessions carry their
 * creation time in their id ({@link SessionIds}), which admission checks. So the ledger is
 * bounded by the session rate, not by time: at 100 sessions/s, 360,000 ids.
 *
 * <p>On disk, one file per ten minutes ({@code <name>.<bucket start, epoch seconds>}), appended
 * and forced per id; whole files are deleted once they are older than the retention. In memory,
 * each bucket's ids as 64-bit fingerprints ({@link FingerprintSet}). The ids are not secret; the
 * files hold nothing else.
 */
public final class SessionLedger implements AutoCloseable {
    static final Duration RETENTION = Duration.ofHours(1);
    static final Duration BUCKET = Duration.ofMinutes(10);

    /** How the ledger opens its files; tests watch the channels to see every append forced to disk. */
    interface Opener {
        FileChannel open(Path file, java.nio.file.OpenOption... options) throws IOException;
    }

    private record Bucket(long start, FingerprintSet ids) {
    }

    private final Path dir;
    private final String name;
    private final Clock clock;
    private final Opener opener;
    private final Deque<Bucket> buckets = new ArrayDeque<>();
    private FileChannel out;
    private long outBucket = Long.MIN_VALUE;

    public SessionLedger(Path file, Clock clock) {
        this(file, clock, FileChannel::open);
    }

    SessionLedger(Path file, Clock clock, Opener opener) {
        this.dir = file.toAbsolutePath().getParent();
        this.name = file.getFileName().toString();
        this.clock = clock;
        this.opener = opener;
        try {
            Files.createDirectories(dir);
            long oldest = clock.instant().minus(RETENTION).getEpochSecond();
            TreeMap<Long, FingerprintSet> loaded = new TreeMap<>();
            for (Path f : bucketFiles()) {
                long start = Long.parseLong(f.getFileName().toString().substring(name.length() + 1));
                if (start + BUCKET.getSeconds() <= oldest) {
                    Files.delete(f);
                    continue;
                }
                FingerprintSet ids = loaded.computeIfAbsent(start, s -> new FingerprintSet());
                read(f, e -> ids.add(FingerprintSet.fingerprint(e.id())));
            }
            migrate(file, oldest, loaded);
            loaded.forEach((start, ids) -> buckets.addLast(new Bucket(start, ids)));
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the session ledger in " + dir, e);
        }
    }

    private record Entry(long at, String id) {
    }

    /** Streams a ledger file's entries: a start reads a whole hour of ids without holding their text. */
    private static void read(Path f, java.util.function.Consumer<Entry> each) throws IOException {
        try (java.io.BufferedReader in = Files.newBufferedReader(f, StandardCharsets.US_ASCII)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int sp = line.indexOf(' ');
                if (sp <= 0) continue; // a line torn by a crash mid-append
                try {
                    each.accept(new Entry(Long.parseLong(line.substring(0, sp)), line.substring(sp + 1)));
                } catch (NumberFormatException e) {
                    // torn, as above
                }
            }
        }
    }

    /** The single ledger file of earlier versions: its recent ids move into their buckets, then it goes. */
    private void migrate(Path legacy, long oldest, TreeMap<Long, FingerprintSet> loaded) throws IOException {
        if (!Files.isRegularFile(legacy)) return;
        TreeMap<Long, StringBuilder> lines = new TreeMap<>();
        read(legacy, e -> {
            if (e.at() < oldest) return;
            long start = bucketOf(e.at());
            if (loaded.computeIfAbsent(start, s -> new FingerprintSet()).add(FingerprintSet.fingerprint(e.id()))) {
                lines.computeIfAbsent(start, s -> new StringBuilder()).append(e.at()).append(' ').append(e.id()).append('\n');
            }
        });
        for (var b : lines.entrySet()) {
            try (FileChannel w = opener.open(bucketFile(b.getKey()), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                write(w, b.getValue().toString());
                w.force(false);
            }
        }
        syncDirectory();
        Files.delete(legacy);
    }

    private List<Path> bucketFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches(java.util.regex.Pattern.quote(name) + "\\.\\d{1,19}")).sorted().toList();
        }
    }

    private static long bucketOf(long epochSecond) {
        return Math.floorDiv(epochSecond, BUCKET.getSeconds()) * BUCKET.getSeconds();
    }

    private Path bucketFile(long start) {
        return dir.resolve(name + "." + start);
    }

    /**
     * Records {@code sessionId} durably and returns true, or returns false if this party ran it
     * before (within the retention).
     */
    public synchronized boolean firstRun(String sessionId) {
        if (sessionId.indexOf('\n') >= 0 || sessionId.indexOf(' ') >= 0) throw new IllegalArgumentException("malformed session id");
        Instant now = clock.instant();
        long f = FingerprintSet.fingerprint(sessionId);
        for (Bucket b : buckets) if (b.ids().contains(f)) return false;
        try {
            Bucket current = current(now);
            write(out, now.getEpochSecond() + " " + sessionId + "\n");
            out.force(false);
            current.ids().add(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record session " + sessionId + " in the ledger", e);
        }
        return true;
    }

    /** The bucket of {@code now}, its file open for appending; buckets past the retention dropped, their files deleted. */
    private Bucket current(Instant now) throws IOException {
        long start = bucketOf(now.getEpochSecond());
        if (start != outBucket) {
            if (out != null) out.close();
            boolean created = !Files.exists(bucketFile(start));
            out = opener.open(bucketFile(start), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            outBucket = start;
            // a new file's name must be durable before an id in it counts as recorded
            if (created) syncDirectory();
            long oldest = now.minus(RETENTION).getEpochSecond();
            while (!buckets.isEmpty() && buckets.peekFirst().start() + BUCKET.getSeconds() <= oldest) {
                Files.deleteIfExists(bucketFile(buckets.removeFirst().start()));
            }
        }
        // (a clock set back lands in an older bucket: its ids join the newest set, which is checked like the rest)
        if (buckets.isEmpty() || buckets.peekLast().start() < start) buckets.addLast(new Bucket(start, new FingerprintSet()));
        return buckets.peekLast();
    }

    /** Ids held in memory now (every bucket within the retention). */
    public synchronized int size() {
        int n = 0;
        for (Bucket b : buckets) n += b.ids().size();
        return n;
    }

    /** Bytes the in-memory index holds. */
    public synchronized long indexBytes() {
        long n = 0;
        for (Bucket b : buckets) n += b.ids().tableBytes();
        return n;
    }

    private static void write(FileChannel ch, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) ch.write(b);
    }

    private void syncDirectory() throws IOException {
        try (FileChannel d = opener.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory; the rename is as durable as they make it
            if (!(e instanceof java.nio.file.FileSystemException)) throw e;
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) out.close();
        } catch (IOException ignored) {
            // nothing left to flush: every append was forced
        }
    }
}
