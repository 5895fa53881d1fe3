package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.group.Feldman;
import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.group.Polynomial;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9591 Appendix C: a dealer who knows the group secret splits it with Shamir sharing and
 * publishes a Feldman VSS commitment, so each participant can check its share. For tests, test
 * vectors and migrating existing keys; new keys come from the distributed key generation.
 */
public final class FrostTrustedDealer {
    private FrostTrustedDealer() {
    }

    /** The dealt shares (party 1..n in order) and the VSS commitment [a_0·G, ..., a_{t-1}·G]. */
    public record Dealing(List<FrostKeyShare> shares, List<GroupElement> vssCommitment) {
        public Dealing {
            shares = List.copyOf(shares);
            vssCommitment = List.copyOf(vssCommitment);
        }
    }

    /** trusted_dealer_keygen with fresh random coefficients. */
    public static Dealing deal(FrostCiphersuite suite, BigInteger secret, int threshold, int parties, SecureRandom random) {
        Polynomial f = Polynomial.random(suite.group(), secret, threshold - 1, random);
        try {
            return deal(suite, f, parties);
        } finally {
            f.wipe();
        }
    }

    /** Shares of a given polynomial f, whose constant term is the group secret: party i gets f(i). */
    public static Dealing deal(FrostCiphersuite suite, Polynomial f, int parties) {
        if (f.constant().signum() == 0) throw new IllegalArgumentException("the group secret must not be zero");
        List<GroupElement> commitment = f.commitments();
        List<GroupElement> verifying = verifyingShares(suite, commitment, parties);
        List<FrostKeyShare> shares = new ArrayList<>(parties);
        for (int i = 1; i <= parties; i++) {
            BigInteger s = f.evaluate(i);
            if (!vssVerify(suite, i, s, commitment)) throw new IllegalStateException("dealt share fails its VSS check");
            shares.add(new FrostKeyShare(suite, i, f.degree() + 1, parties, s, commitment.get(0), verifying));
        }
        return new Dealing(shares, commitment);
    }

    /** RFC 9591 vss_verify: s_i·G == Σ_k C_k·i^k. */
    public static boolean vssVerify(FrostCiphersuite suite, int index, BigInteger share, List<GroupElement> vssCommitment) {
        return Feldman.verifyShare(suite.group(), vssCommitment, index, share);
    }

    /** RFC 9591 derive_group_info: the verifying share of every party 1..n. */
    public static List<GroupElement> verifyingShares(FrostCiphersuite suite, List<GroupElement> vssCommitment, int parties) {
        List<GroupElement> out = new ArrayList<>(parties);
        for (int i = 1; i <= parties; i++) out.add(Feldman.evaluate(suite.group(), vssCommitment, i));
        return out;
    }
}
