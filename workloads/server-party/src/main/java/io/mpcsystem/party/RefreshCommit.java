package io.mpcsystem.party;

import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The second phase of a share refresh: a refreshed share is staged when this party's run ends,
 * and settled by the session's outcome as the coordinator judged it: promoted when every party
 * succeeded, discarded when the session failed, kept waiting while the outcome is unknown (it is
 * settled on the next connection to the coordinator, after a crash too).
 */
public final class RefreshCommit {
    private static final Logger LOG = Logger.getLogger(RefreshCommit.class.getName());

    /** What the coordinator says about a refresh session. */
    public enum Outcome { COMPLETED, FAILED, UNKNOWN }

    private final PartyShares shares;
    private final PeerQuarantine quarantine;

    public RefreshCommit(PartyShares shares, PeerQuarantine quarantine) {
        this.shares = shares;
        this.quarantine = quarantine;
    }

    public synchronized void settle(String keyId, String sessionId, Outcome outcome) {
        switch (outcome) {
            case COMPLETED -> {
                if (shares.promote(keyId, sessionId)) {
                    // every pairwise setup of the new generation is fresh
                    quarantine.clear(keyId);
                    LOG.log(Level.INFO, "key {0}: refreshed share of session {1} is now in use", new Object[] {keyId, sessionId});
                }
            }
            case FAILED -> {
                shares.discard(keyId, sessionId);
                LOG.log(Level.INFO, "key {0}: refresh session {1} failed; the previous share stays in use", new Object[] {keyId, sessionId});
            }
            default -> {
                // decided later
            }
        }
    }

    /** Settles every staged refresh whose outcome {@code lookup} knows (by session id). */
    public void settleAll(Function<String, Outcome> lookup) {
        for (PartyShares.Pending p : shares.pending()) settle(p.keyId(), p.sessionId(), lookup.apply(p.sessionId()));
    }
}
