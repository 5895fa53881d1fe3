package io.mpcsystem.router;

import io.mpcsystem.proto.router.v1.Envelope;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamCommands;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XAddArgs;
import io.quarkus.redis.datasource.stream.XReadArgs;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The envelopes of one session as a Redis stream. All router state lives here, so any replica
 * serves any subscriber, and a restarted router loses nothing: a subscriber resumes after the
 * last stream id it saw.
 */
@ApplicationScoped
public class SessionStream {
    private static final String FIELD = "envelope";

    private final StreamCommands<String, String, byte[]> streams;
    private final RedisDataSource redis;
    private final Duration retention;
    private final long maxMessages;

    private final long maxPerSender;
    private final long maxBytesPerSender;

    public SessionStream(RedisDataSource redis, @ConfigProperty(name = "mpc.router.retention") Duration retention,
                         @ConfigProperty(name = "mpc.router.max-messages-per-session") long maxMessages,
                         @ConfigProperty(name = "mpc.router.max-envelopes-per-sender") long maxPerSender,
                         @ConfigProperty(name = "mpc.router.max-bytes-per-sender") long maxBytesPerSender) {
        this.redis = redis;
        this.streams = redis.stream(String.class, String.class, byte[].class);
        this.retention = retention;
        this.maxMessages = maxMessages;
        this.maxPerSender = maxPerSender;
        this.maxBytesPerSender = maxBytesPerSender;
    }

    /** A sender went over its share of a session; nothing was stored. */
    public static final class QuotaExceeded extends RuntimeException {
        QuotaExceeded(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Counts the envelope against its sender's quota in the session, refusing it beyond: one
     * sender cannot fill a session's stream (which would push the other parties' messages out)
     * nor Redis. No protocol run comes near the limits.
     */
    private void charge(Envelope e) {
        String base = "mpc:router:quota:" + e.getSessionId() + ":" + e.getFromParty();
        var keys = redis.getReactive().value(String.class, Long.class);
        var count = keys.incr(base + ":n");
        var bytes = keys.incrby(base + ":b", e.getSerializedSize());
        var t1 = redis.getReactive().key().expire(base + ":n", retention);
        var t2 = redis.getReactive().key().expire(base + ":b", retention);
        var r = io.smallrye.mutiny.Uni.combine().all().unis(count, bytes, t1, t2).asTuple().await().atMost(Duration.ofSeconds(5));
        if (r.getItem1() > maxPerSender) throw new QuotaExceeded(e.getFromParty() + " sent more than " + maxPerSender + " envelopes in session " + e.getSessionId());
        if (r.getItem2() > maxBytesPerSender) throw new QuotaExceeded(e.getFromParty() + " sent more than " + maxBytesPerSender + " bytes in session " + e.getSessionId());
    }

    static String key(String sessionId) {
        return "mpc:router:session:" + sessionId;
    }

    /** Appends an envelope (without stream id) and returns its stream id. */
    public String append(Envelope e) {
        charge(e);
        String key = key(e.getSessionId());
        // XADD and EXPIRE go out together: one round trip to Redis instead of two
        var reactive = redis.getReactive();
        var add = reactive.stream(String.class, String.class, byte[].class)
                .xadd(key, new XAddArgs().maxlen(maxMessages).nearlyExactTrimming(), Map.of(FIELD, e.toBuilder().clearStreamId().build().toByteArray()));
        var expire = reactive.key().expire(key, retention);
        return io.smallrye.mutiny.Uni.combine().all().unis(add, expire).asTuple().await().atMost(Duration.ofSeconds(5)).getItem1();
    }

    /** A read result: the envelopes for a party (stream ids set) and the position to read on from. */
    public record Batch(List<Envelope> envelopes, String lastId) {
    }

    /**
     * Reads what follows {@code afterId} ("0" for the start), waiting up to {@code block} for new
     * entries, and keeps those meant for {@code partyId}.
     */
    public Batch read(String sessionId, String partyId, String afterId, Duration block) {
        List<StreamMessage<String, String, byte[]>> msgs = streams.xread(key(sessionId), afterId, new XReadArgs().count(256).block(block));
        List<Envelope> out = new ArrayList<>();
        String last = afterId;
        for (StreamMessage<String, String, byte[]> m : msgs) {
            last = m.id();
            Envelope e;
            try {
                e = Envelope.parseFrom(m.payload().get(FIELD));
            } catch (com.google.protobuf.InvalidProtocolBufferException | NullPointerException ex) {
                continue; // only this router writes these streams; skip anything foreign
            }
            if (!e.getFromParty().equals(partyId) && (e.getToParty().isEmpty() || e.getToParty().equals(partyId))) {
                out.add(e.toBuilder().setStreamId(m.id()).build());
            }
        }
        return new Batch(out, last);
    }
}
