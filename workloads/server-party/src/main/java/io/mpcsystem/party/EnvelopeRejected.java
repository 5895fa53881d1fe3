package io.mpcsystem.party;

/** An envelope that is not a genuine message of this session for this party. Carries no payload bytes. */
public final class EnvelopeRejected extends Exception {
    private static final long serialVersionUID = 1L;

    public EnvelopeRejected(String reason) {
        super(reason, null, false, false);
    }
}
