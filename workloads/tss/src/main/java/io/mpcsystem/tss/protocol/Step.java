package io.mpcsystem.tss.protocol;

import java.util.List;

/** What a party returns after a round: messages for the next round, or its final output. */
public sealed interface Step<O> {
    record Continue<O>(List<ProtocolMessage> outbound) implements Step<O> {
        public Continue {
            outbound = List.copyOf(outbound);
        }
    }

    record Done<O>(O output) implements Step<O> {
    }
}
