package io.mpcsystem.tss.protocol;

import java.util.Arrays;

/**
 * One message of a protocol round as it travels between parties. The payload is the canonical
 * encoding of a round-specific message; the transport adds session binding, signatures and
 * encryption, so point-to-point payloads are assumed confidential and authenticated.
 *
 * @param round the round that produced the message (1-based)
 * @param from  sender's party index (1..n)
 * @param to    receiver's party index, or {@link #BROADCAST}
 */
public record ProtocolMessage(int round, int from, int to, byte[] payload) {
    public static final int BROADCAST = 0;

    public ProtocolMessage {
        if (round < 1) throw new IllegalArgumentException("round must be >= 1");
        if (from < 1) throw new IllegalArgumentException("sender index must be >= 1");
        if (to < 0) throw new IllegalArgumentException("receiver index must be >= 0");
        if (from == to) throw new IllegalArgumentException("a party does not message itself");
        payload = payload.clone();
    }

    public boolean isBroadcast() {
        return to == BROADCAST;
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProtocolMessage m && m.round == round && m.from == from && m.to == to
                && Arrays.equals(m.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * round + from) + to) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        // payloads of direct messages may carry share material: never print them
        return "ProtocolMessage[round=" + round + ", from=" + from + ", to="
                + (isBroadcast() ? "broadcast" : String.valueOf(to)) + ", " + payload.length + " bytes]";
    }
}
