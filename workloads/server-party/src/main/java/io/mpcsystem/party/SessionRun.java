package io.mpcsystem.party;

import io.mpcsystem.proto.router.v1.Envelope;
import io.mpcsystem.tss.protocol.Expectation;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.ProtocolMessage;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.mpcsystem.tss.protocol.Step;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Drives one party's protocol run over the router: publishes its messages, collects and checks
 * the envelopes of each round (they may arrive early, twice, or out of order), and feeds a round
 * to the state machine once it is complete.
 *
 * <p>Envelopes that fail their signature or decryption are dropped, not blamed on the party
 * they claim to come from: anyone on the path could have forged them. A genuine (signed) sender
 * that sends two different messages for the same slot is blamed.
 */
public final class SessionRun<O> {
    private static final Logger LOG = Logger.getLogger(SessionRun.class.getName());

    private final ProtocolParty<O> party;
    private final EnvelopeCodec codec;
    private final Consumer<List<Envelope>> publish;
    private final Clock clock;
    private final java.util.function.Supplier<String> abort;
    private final Map<Integer, Map<Slot, ProtocolMessage>> buffered = new HashMap<>();
    /** Rounds ahead of the current one that are buffered: a peer cannot fill memory with far-future rounds. */
    static final int ROUNDS_AHEAD = 2;
    private int rejected;

    private record Slot(int from, boolean broadcast) {
    }

    /** @param publish sends one round's envelopes (all of them before it returns; it may send them side by side) */
    public SessionRun(ProtocolParty<O> party, EnvelopeCodec codec, Consumer<List<Envelope>> publish, Clock clock) {
        this(party, codec, publish, clock, () -> null);
    }

    /** @param abort a reason to stop (checked whenever the run wakes up), or null to go on */
    public SessionRun(ProtocolParty<O> party, EnvelopeCodec codec, Consumer<List<Envelope>> publish, Clock clock, java.util.function.Supplier<String> abort) {
        this.party = party;
        this.codec = codec;
        this.publish = publish;
        this.clock = clock;
        this.abort = abort;
    }

    /** Runs to the party's output. @throws ProtocolAbort on a failed check, or on the deadline naming the silent parties */
    public O run(BlockingQueue<Envelope> inbound, Instant deadline) throws InterruptedException {
        try {
            send(party.start());
            while (true) {
                // before every round, also one fed from buffered messages without waiting: an abort
                // (the session failed or was cancelled) must stop the run, not let it finish
                String stop = abort.get();
                if (stop != null) throw ProtocolAbort.unattributed(stop);
                Step<O> step = tryAdvance();
                if (step instanceof Step.Done<O> done) return done.output();
                if (step instanceof Step.Continue<O> next) {
                    send(next.outbound());
                    continue;
                }
                long waitMs = deadline.toEpochMilli() - clock.millis();
                if (waitMs <= 0) throw timeout();
                Envelope e = inbound.poll(waitMs, TimeUnit.MILLISECONDS);
                if (e != null && e.getRound() >= 0) accept(e);
            }
        } catch (InterruptedException | RuntimeException e) {
            party.abandon();
            throw e;
        }
    }

    private void send(List<ProtocolMessage> outbound) {
        if (!outbound.isEmpty()) publish.accept(outbound.stream().map(codec::seal).toList());
    }

    /** Envelopes dropped because they were forged, misrouted or undecryptable. */
    public int rejectedEnvelopes() {
        return rejected;
    }

    private void accept(Envelope e) {
        ProtocolMessage m;
        try {
            m = codec.open(e);
        } catch (EnvelopeRejected r) {
            rejected++;
            LOG.log(Level.WARNING, "dropped an envelope of session {0}: {1}", new Object[] {e.getSessionId(), r.getMessage()});
            return;
        }
        if (m.round() < party.round()) return; // a redelivery of a round already processed
        if (m.round() > party.round() + ROUNDS_AHEAD) {
            rejected++;
            return;
        }
        Slot slot = new Slot(m.from(), m.isBroadcast());
        ProtocolMessage earlier = buffered.computeIfAbsent(m.round(), r -> new HashMap<>()).putIfAbsent(slot, m);
        if (earlier != null && !earlier.equals(m)) {
            throw ProtocolAbort.blame(m.from(), "sent two different messages for round " + m.round());
        }
    }

    /** Feeds the current round if complete; null if still waiting. */
    private Step<O> tryAdvance() {
        int round = party.round();
        Map<Slot, ProtocolMessage> got = buffered.getOrDefault(round, Map.of());
        Expectation exp = party.expectation();
        for (int s : exp.senders()) {
            if (exp.broadcast() && !got.containsKey(new Slot(s, true))) return null;
            if (exp.direct() && !got.containsKey(new Slot(s, false))) return null;
        }
        buffered.remove(round);
        return party.receive(new ArrayList<>(got.values()));
    }

    private ProtocolAbort timeout() {
        int round = party.round();
        Map<Slot, ProtocolMessage> got = buffered.getOrDefault(round, Map.of());
        Expectation exp = party.expectation();
        Set<Integer> silent = new TreeSet<>();
        for (int s : exp.senders()) {
            if ((exp.broadcast() && !got.containsKey(new Slot(s, true))) || (exp.direct() && !got.containsKey(new Slot(s, false)))) silent.add(s);
        }
        // silence is not proof: the router may have dropped the messages, so name but do not blame
        List<String> ids = new ArrayList<>();
        for (int s : silent) ids.add(codec.roster().byIndex(s).map(Roster.Member::partyId).orElse(String.valueOf(s)));
        return ProtocolAbort.unattributed("timed out in round " + round + " waiting for " + String.join(", ", ids));
    }
}
