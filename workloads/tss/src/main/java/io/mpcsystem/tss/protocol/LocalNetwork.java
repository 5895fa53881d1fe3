package io.mpcsystem.tss.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Runs several parties of one protocol run in the calling thread, delivering every round's
 * messages to their receivers. For tests, benchmarks and the in-process demo; the services use
 * the message router instead.
 */
public final class LocalNetwork {
    private LocalNetwork() {
    }

    /** Runs all parties to completion; the outputs by party index. */
    public static <O> Map<Integer, O> run(Collection<ProtocolParty<O>> parties) {
        return run(parties, UnaryOperator.identity());
    }

    /**
     * Runs all parties, passing every message through {@code wire} first (a test can tamper with
     * one). A {@link ProtocolAbort} raised by any party ends the run and propagates.
     */
    public static <O> Map<Integer, O> run(Collection<ProtocolParty<O>> parties, UnaryOperator<ProtocolMessage> wire) {
        Map<Integer, ProtocolParty<O>> byIndex = new TreeMap<>();
        for (ProtocolParty<O> p : parties) {
            if (byIndex.put(p.self(), p) != null) throw new IllegalArgumentException("two parties with index " + p.self());
        }
        List<ProtocolMessage> inFlight = new ArrayList<>();
        for (ProtocolParty<O> p : byIndex.values()) inFlight.addAll(p.start());
        Map<Integer, O> outputs = new TreeMap<>();
        while (outputs.size() < byIndex.size()) {
            List<ProtocolMessage> delivered = new ArrayList<>(inFlight.size());
            for (ProtocolMessage m : inFlight) {
                ProtocolMessage w = wire.apply(m);
                if (w != null) delivered.add(w);
            }
            inFlight.clear();
            boolean progressed = false;
            for (ProtocolParty<O> p : byIndex.values()) {
                if (p.isFinished()) continue;
                List<ProtocolMessage> mine = new ArrayList<>();
                for (ProtocolMessage m : delivered) {
                    if (m.from() != p.self() && (m.isBroadcast() || m.to() == p.self())) mine.add(m);
                }
                Step<O> step = p.receive(mine);
                progressed = true;
                if (step instanceof Step.Done<O> d) outputs.put(p.self(), d.output());
                else inFlight.addAll(((Step.Continue<O>) step).outbound());
            }
            if (!progressed) throw new IllegalStateException("no party made progress");
        }
        return outputs;
    }
}
