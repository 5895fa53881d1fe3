package io.mpcsystem.tss.protocol;

/**
 * One round of a protocol as seen by one party: it waits for the messages described by
 * {@link #expects()}, checks them, and moves to the next round or to the party's output.
 * A round object is used once; it holds the ephemeral secrets of its party.
 *
 * @param <O> the protocol's output
 */
public interface Round<O> {
    Expectation expects();

    /**
     * Processes the round's messages.
     *
     * @throws ProtocolAbort when a message is malformed or fails a check; names the sender at fault
     */
    Transition<O> process(Inbox inbox);

    /**
     * Overwrites every secret the run still holds; called when the run fails or is abandoned.
     * On a successful transition a round drops what it no longer needs itself.
     */
    default void wipe() {
    }
}
