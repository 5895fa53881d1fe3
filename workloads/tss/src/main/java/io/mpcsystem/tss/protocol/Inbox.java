package io.mpcsystem.tss.protocol;

import io.mpcsystem.tss.encoding.MalformedEncodingException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The messages a party received in one round, already checked for completeness and origin. */
public final class Inbox {
    private final SortedMap<Integer, byte[]> broadcasts;
    private final SortedMap<Integer, byte[]> direct;

    Inbox(Map<Integer, byte[]> broadcasts, Map<Integer, byte[]> direct) {
        this.broadcasts = Collections.unmodifiableSortedMap(new TreeMap<>(broadcasts));
        this.direct = Collections.unmodifiableSortedMap(new TreeMap<>(direct));
    }

    /** The broadcast payload from {@code party}; the round's expectation guarantees it exists. */
    public byte[] broadcast(int party) {
        byte[] p = broadcasts.get(party);
        if (p == null) throw ProtocolAbort.blame(party, "no broadcast message");
        return p;
    }

    /** Decodes the broadcast from {@code party}; malformed bytes blame that party. */
    public <T> T broadcast(int party, Decoder<T> decoder) {
        return decode(party, broadcast(party), decoder);
    }

    /** Decodes the direct message from {@code party}; malformed bytes blame that party. */
    public <T> T direct(int party, Decoder<T> decoder) {
        return decode(party, direct(party), decoder);
    }

    private static <T> T decode(int party, byte[] bytes, Decoder<T> decoder) {
        try {
            return decoder.decode(bytes);
        } catch (MalformedEncodingException e) {
            throw ProtocolAbort.blame(party, "malformed message: " + e.getMessage());
        }
    }

    @FunctionalInterface
    public interface Decoder<T> {
        T decode(byte[] bytes);
    }

    /** The point-to-point payload from {@code party}; the round's expectation guarantees it exists. */
    public byte[] direct(int party) {
        byte[] p = direct.get(party);
        if (p == null) throw ProtocolAbort.blame(party, "no direct message");
        return p;
    }
}
