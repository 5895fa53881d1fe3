package io.mpcsystem.party;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The session ids this party has run protocol rounds in, kept on disk (fsynced before the run
 * starts) for {@link #RETENTION}: a session id is run at most once, even across restarts, so a
 * coordinator repeating an id cannot make this party redo a run (its OT extensions among them)
 * with the same id. The ids are not secret; the file holds nothing else.
 */
public final class SessionLedger implements AutoCloseable {
    static final Duration RETENTION = Duration.ofDays(7);

    private final Path file;
    private final Clock clock;
    private final Set<String> seen = new HashSet<>();
    private FileChannel out;

    public SessionLedger(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Instant oldest = clock.instant().minus(RETENTION);
            StringBuilder kept = new StringBuilder();
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
                for (String line : lines) {
                    int sp = line.indexOf(' ');
                    if (sp <= 0) continue; // a line torn by a crash mid-append
                    try {
                        if (Instant.ofEpochSecond(Long.parseLong(line.substring(0, sp))).isBefore(oldest)) continue;
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (seen.add(line.substring(sp + 1))) kept.append(line).append('\n');
                }
            }
            // compacted on every start: older entries go, so the file stays the size of a week's sessions
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, kept, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the session ledger " + file, e);
        }
    }

    /**
     * Records {@code sessionId} durably and returns true, or returns false if this party ran it
     * before (within the retention).
     */
    public synchronized boolean firstRun(String sessionId) {
        if (sessionId.indexOf('\n') >= 0 || sessionId.indexOf(' ') >= 0) throw new IllegalArgumentException("malformed session id");
        if (!seen.add(sessionId)) return false;
        try {
            out.write(ByteBuffer.wrap((clock.instant().getEpochSecond() + " " + sessionId + "\n").getBytes(StandardCharsets.US_ASCII)));
            out.force(false);
        } catch (IOException e) {
            seen.remove(sessionId);
            throw new UncheckedIOException("cannot record session " + sessionId + " in the ledger", e);
        }
        return true;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // nothing left to flush: every append was forced
        }
    }
}
