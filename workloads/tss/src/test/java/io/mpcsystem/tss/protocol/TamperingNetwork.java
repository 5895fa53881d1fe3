package io.mpcsystem.tss.protocol;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Test network in which one party is dishonest: its messages pass through {@code tamper}. Runs
 * round by round like {@link LocalNetwork}, but records the aborts of the honest parties, and stops
 * after the first round in which an honest party aborts (a real coordinator ends the session
 * then). The dishonest party's own aborts are ignored: it simply stops sending.
 */
public final class TamperingNetwork {
    private TamperingNetwork() {
    }

    /** Honest parties' aborts, by party index; empty when the run completed despite tampering. */
    public static <O> Map<Integer, ProtocolAbort> run(List<ProtocolParty<O>> parties, int dishonest, UnaryOperator<ProtocolMessage> tamper) {
        Map<Integer, ProtocolAbort> aborts = new TreeMap<>();
        Set<Integer> stopped = new HashSet<>();
        List<ProtocolMessage> inFlight = new ArrayList<>();
        for (ProtocolParty<O> p : parties) inFlight.addAll(p.start());
        while (true) {
            List<ProtocolMessage> delivered = new ArrayList<>();
            for (ProtocolMessage m : inFlight) delivered.add(m.from() == dishonest ? tamper.apply(m) : m);
            inFlight.clear();
            boolean anyRunning = false;
            for (ProtocolParty<O> p : parties) {
                if (p.isFinished() || stopped.contains(p.self())) continue;
                anyRunning = true;
                List<ProtocolMessage> mine = new ArrayList<>();
                for (ProtocolMessage m : delivered) {
                    if (m != null && m.from() != p.self() && (m.isBroadcast() || m.to() == p.self())) mine.add(m);
                }
                try {
                    Step<O> step = p.receive(mine);
                    if (step instanceof Step.Continue<O> c) inFlight.addAll(c.outbound());
                } catch (ProtocolAbort a) {
                    stopped.add(p.self());
                    if (p.self() != dishonest) aborts.put(p.self(), a);
                }
            }
            if (!aborts.isEmpty() || !anyRunning) return aborts;
        }
    }

    /** Flips one bit of the payload at {@code position} (taken modulo the payload length, past the 3-byte header). */
    public static ProtocolMessage flipBit(ProtocolMessage m, int position) {
        byte[] p = m.payload();
        int body = p.length - 3;
        int at = 3 + Math.floorMod(position, body);
        p[at] ^= (byte) (1 << Math.floorMod(position, 8));
        return new ProtocolMessage(m.round(), m.from(), m.to(), p);
    }
}
