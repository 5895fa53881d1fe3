package io.mpcsystem.tss.protocol;

import java.util.Set;

/**
 * What a round needs before it can run: a broadcast and/or a direct message from each of
 * {@code senders}.
 */
public record Expectation(Set<Integer> senders, boolean broadcast, boolean direct) {
    public Expectation {
        senders = Set.copyOf(senders);
        if (!broadcast && !direct) throw new IllegalArgumentException("a round expects some message");
    }

    public static Expectation broadcastFrom(Set<Integer> senders) {
        return new Expectation(senders, true, false);
    }

    public static Expectation directFrom(Set<Integer> senders) {
        return new Expectation(senders, false, true);
    }

    public static Expectation bothFrom(Set<Integer> senders) {
        return new Expectation(senders, true, true);
    }
}
