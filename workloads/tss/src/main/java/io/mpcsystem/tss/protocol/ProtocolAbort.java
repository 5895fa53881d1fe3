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
    private final boolean pairwiseSetupBurned;

    private ProtocolAbort(int culprit, String reason, boolean pairwiseSetupBurned) {
        super(reason, null, false, false);
        this.culprit = culprit;
        this.pairwiseSetupBurned = pairwiseSetupBurned;
    }

    public static ProtocolAbort blame(int culprit, String reason) {
        if (culprit < 1) throw new IllegalArgumentException("culprit must be a party index");
        return new ProtocolAbort(culprit, "party " + culprit + ": " + reason, false);
    }

    /**
     * A failure after which the long-term pairwise setup with the culprit must not be used again
     * (a failed OT-extension check may have told the culprit one bit of this party's secret
     * correlation). The caller refuses further sessions with that peer until a refresh.
     */
    public static ProtocolAbort blameBurningPairwiseSetup(int culprit, String reason) {
        if (culprit < 1) throw new IllegalArgumentException("culprit must be a party index");
        return new ProtocolAbort(culprit, "party " + culprit + ": " + reason, true);
    }

    public static ProtocolAbort unattributed(String reason) {
        return new ProtocolAbort(0, reason, false);
    }

    /** See {@link #blameBurningPairwiseSetup}. */
    public boolean pairwiseSetupBurned() {
        return pairwiseSetupBurned;
    }

    public OptionalInt culprit() {
        return culprit == 0 ? OptionalInt.empty() : OptionalInt.of(culprit);
    }
}
