package io.mpcsystem.tss.protocol;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One party's side of a protocol run: a state machine that takes the messages of round k and
 * returns its messages of round k+1, or its output. It checks that every expected sender sent
 * exactly one message of the right kind, so rounds only see complete, well-addressed input.
 *
 * <p>A party is single-use: once it finished or aborted, every further call fails, and its
 * round secrets have been wiped. This is what makes nonce reuse impossible: the ephemeral
 * values of a signing run exist only inside its rounds and are never serialised.
 */
public final class ProtocolParty<O> {
    private enum State { NEW, RUNNING, DONE, FAILED }

    private final int self;
    private final List<ProtocolMessage> firstMessages;
    private Round<O> current;
    private int round = 1;
    private State state = State.NEW;

    public ProtocolParty(int self, Round<O> first, Transition.Outgoing firstOutgoing) {
        if (self < 1) throw new IllegalArgumentException("party index must be >= 1");
        this.self = self;
        this.current = Objects.requireNonNull(first);
        this.firstMessages = firstOutgoing.toMessages(1, self);
    }

    public int self() {
        return self;
    }

    /** The round currently awaited (1-based). */
    public int round() {
        return round;
    }

    public boolean isFinished() {
        return state == State.DONE || state == State.FAILED;
    }

    /** The messages of round 1. Callable once. */
    public synchronized List<ProtocolMessage> start() {
        if (state != State.NEW) throw new IllegalStateException("protocol party already started");
        state = State.RUNNING;
        return firstMessages;
    }

    /** The messages a round expects from whom; lets a transport know when a round is complete. */
    public synchronized Expectation expectation() {
        if (state != State.RUNNING) throw new IllegalStateException("protocol party is not running");
        return current.expects();
    }

    /**
     * Feeds all messages of the current round addressed to this party (broadcasts and direct).
     *
     * @throws ProtocolAbort when a message is missing, duplicated, misaddressed or fails a check
     */
    public synchronized Step<O> receive(Collection<ProtocolMessage> messages) {
        if (state != State.RUNNING) throw new IllegalStateException("protocol party is not running");
        try {
            Inbox inbox = collect(messages, current.expects());
            Transition<O> t = current.process(inbox);
            if (t.nextRound() == null) {
                state = State.DONE;
                current = null;
                return new Step.Done<>(t.output());
            }
            current = t.nextRound();
            round++;
            return new Step.Continue<>(t.outgoing().toMessages(round, self));
        } catch (RuntimeException e) {
            state = State.FAILED;
            current.wipe();
            current = null;
            throw e instanceof ProtocolAbort a ? a : ProtocolAbort.unattributed("internal error in round " + round + ": " + e.getClass().getSimpleName());
        }
    }

    /** Abandons the run (e.g. on a timeout) and wipes its secrets. */
    public synchronized void abandon() {
        if (current != null) current.wipe();
        current = null;
        state = State.FAILED;
    }

    private Inbox collect(Collection<ProtocolMessage> messages, Expectation exp) {
        Map<Integer, byte[]> broadcasts = new HashMap<>();
        Map<Integer, byte[]> direct = new HashMap<>();
        for (ProtocolMessage m : messages) {
            if (m.round() != round) throw ProtocolAbort.blame(m.from(), "message for round " + m.round() + " during round " + round);
            if (!exp.senders().contains(m.from())) throw ProtocolAbort.blame(m.from(), "not expected to send in round " + round);
            if (m.isBroadcast()) {
                if (!exp.broadcast()) throw ProtocolAbort.blame(m.from(), "unexpected broadcast in round " + round);
                if (broadcasts.putIfAbsent(m.from(), m.payload()) != null) throw ProtocolAbort.blame(m.from(), "two broadcasts in round " + round);
            } else {
                if (m.to() != self) throw ProtocolAbort.blame(m.from(), "message addressed to party " + m.to() + " delivered to " + self);
                if (!exp.direct()) throw ProtocolAbort.blame(m.from(), "unexpected direct message in round " + round);
                if (direct.putIfAbsent(m.from(), m.payload()) != null) throw ProtocolAbort.blame(m.from(), "two direct messages in round " + round);
            }
        }
        for (int s : new java.util.TreeSet<>(exp.senders())) {
            if (exp.broadcast() && !broadcasts.containsKey(s)) throw ProtocolAbort.blame(s, "missing broadcast of round " + round);
            if (exp.direct() && !direct.containsKey(s)) throw ProtocolAbort.blame(s, "missing direct message of round " + round);
        }
        return new Inbox(broadcasts, direct);
    }
}
