package io.mpcsystem.tss.protocol;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a round produces: the next round and the messages to send for it, or the party's output.
 */
public final class Transition<O> {
    private final Outgoing outgoing;
    private final Round<O> next;
    private final O output;

    private Transition(Outgoing outgoing, Round<O> next, O output) {
        this.outgoing = outgoing;
        this.next = next;
        this.output = output;
    }

    public static <O> Transition<O> next(Round<O> next, Outgoing outgoing) {
        return new Transition<>(Objects.requireNonNull(outgoing), Objects.requireNonNull(next), null);
    }

    public static <O> Transition<O> done(O output) {
        return new Transition<>(Outgoing.none(), null, Objects.requireNonNull(output));
    }

    Outgoing outgoing() {
        return outgoing;
    }

    Round<O> nextRound() {
        return next;
    }

    O output() {
        return output;
    }

    /** The payloads a party sends at the end of a round. */
    public record Outgoing(byte[] broadcast, Map<Integer, byte[]> direct) {
        public Outgoing {
            direct = Map.copyOf(direct);
        }

        public static Outgoing none() {
            return new Outgoing(null, Map.of());
        }

        public static Outgoing broadcast(byte[] payload) {
            return new Outgoing(Objects.requireNonNull(payload), Map.of());
        }

        public static Outgoing direct(Map<Integer, byte[]> payloads) {
            return new Outgoing(null, payloads);
        }

        public static Outgoing both(byte[] broadcast, Map<Integer, byte[]> payloads) {
            return new Outgoing(Objects.requireNonNull(broadcast), payloads);
        }

        /** Sizes only: direct payloads carry shares, seeds and OT messages. */
        @Override
        public String toString() {
            return "Outgoing[broadcast=" + (broadcast == null ? "none" : broadcast.length + " bytes") + ", direct to " + new java.util.TreeSet<>(direct.keySet()) + "]";
        }

        List<ProtocolMessage> toMessages(int round, int from) {
            var out = new java.util.ArrayList<ProtocolMessage>();
            if (broadcast != null) out.add(new ProtocolMessage(round, from, ProtocolMessage.BROADCAST, broadcast));
            new java.util.TreeMap<>(direct).forEach((to, p) -> out.add(new ProtocolMessage(round, from, to, p)));
            return List.copyOf(out);
        }
    }
}
