package io.mpcsystem.proto;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ids of the sessions the coordinator starts on its own (PRESIGN, REFRESH): the creation time in
 * epoch seconds, then randomness ({@code 1796520000-1b4e…}). A party takes such a session only
 * while it is recent, so it needs to remember the ids it ran for a bounded time: an old id
 * replayed is refused by its time, and a replayed id cannot carry another time without being
 * another id. A client's session runs under its authorization's request id instead, bounded by
 * the authorization's expiry.
 */
public final class SessionIds {
    private static final Pattern TIMED = Pattern.compile("(\\d{1,12})-[A-Za-z0-9_-]{1,80}");

    private SessionIds() {
    }

    public static String timed(Instant createdAt) {
        return createdAt.getEpochSecond() + "-" + UUID.randomUUID();
    }

    /** When a session with this id was created, if the id says. */
    public static Optional<Instant> createdAt(String sessionId) {
        Matcher m = TIMED.matcher(sessionId);
        return m.matches() ? Optional.of(Instant.ofEpochSecond(Long.parseLong(m.group(1)))) : Optional.empty();
    }
}
