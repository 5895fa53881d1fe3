package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.hash.Transcript;
import java.util.Set;
import java.util.TreeSet;

/**
 * The public parameters of a key generation or refresh run. Both deal a Feldman-committed
 * polynomial per party; keygen deals a random secret with a proof of knowledge, refresh deals
 * zero on top of an existing key ({@code previous} non-null).
 */
record FrostDealingRun(FrostCiphersuite suite, SessionId session, int self, int threshold, int parties,
                       PreviousKey previous) {
    static final int KEYGEN_COMMITMENT = 0x0210;
    static final int KEYGEN_SHARE = 0x0211;
    static final int KEYGEN_ECHO = 0x0212;
    static final int REFRESH_COMMITMENT = 0x0220;
    static final int REFRESH_SHARE = 0x0221;
    static final int REFRESH_ECHO = 0x0222;

    /** The public half of the key being refreshed. */
    record PreviousKey(GroupElement groupPublicKey, java.util.List<GroupElement> verifyingShares, byte[] fingerprint) {
    }

    boolean isRefresh() {
        return previous != null;
    }

    String kind() {
        return isRefresh() ? "refresh" : "keygen";
    }

    int shareType() {
        return isRefresh() ? REFRESH_SHARE : KEYGEN_SHARE;
    }

    int echoType() {
        return isRefresh() ? REFRESH_ECHO : KEYGEN_ECHO;
    }

    Set<Integer> others() {
        Set<Integer> o = new TreeSet<>();
        for (int j = 1; j <= parties; j++) if (j != self) o.add(j);
        return o;
    }

    /** The proof-of-knowledge context of party j (KG20 Figure 1: bound to session, suite and index). */
    Transcript proofContext(int j) {
        return Transcript.of("mpc-system/frost/v1/dkg/pok")
                .append("session", session.bytes())
                .append("ciphersuite", suite.contextString())
                .append("threshold", threshold)
                .append("parties", parties)
                .append("party", j);
    }

    /** What a party echoes about party j's round-one broadcast. */
    byte[] echoDigest(int j, byte[] roundOnePayload) {
        return Transcript.of("mpc-system/frost/v1/" + kind() + "/echo")
                .append("session", session.bytes())
                .append("ciphersuite", suite.contextString())
                .append("party", j)
                .append("broadcast", roundOnePayload)
                .digest();
    }
}
