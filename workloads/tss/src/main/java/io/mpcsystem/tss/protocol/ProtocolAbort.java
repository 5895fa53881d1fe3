package io.mpcsystem.tss.protocol;

import java.util.OptionalInt;

/**
 * A protocol run ended because a check failed. Names the party at fault when the failing check
 * identifies one. The message never contains secret material: only indices, round numbers and
 * the name of the check.
 */
public final class ProtocolAbort extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int culprit;

    private ProtocolAbort(int culprit, String reason) {
        super(reason, null, false, false);
        this.culprit = culprit;
    }

    public static ProtocolAbort blame(int culprit, String reason) {
        if (culprit < 1) throw new IllegalArgumentException("culprit must be a party index");
        return new ProtocolAbort(culprit, "party " + culprit + ": " + reason);
    }

    public static ProtocolAbort unattributed(String reason) {
        return new ProtocolAbort(0, reason);
    }

    public OptionalInt culprit() {
        return culprit == 0 ? OptionalInt.empty() : OptionalInt.of(culprit);
    }
}
