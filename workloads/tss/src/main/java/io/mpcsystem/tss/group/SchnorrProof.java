package io.mpcsystem.tss.group;

import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.hash.Transcript;
import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Non-interactive proof of knowledge of x with X = x·G (Schnorr, Fiat-Shamir). The caller's
 * transcript must already bind the session, the protocol step and the prover's index; the proof
 * adds X and the commitment, so a proof cannot be replayed in another session or by another party.
 */
public record SchnorrProof(GroupElement commitment, BigInteger response) {

    public static SchnorrProof prove(Group group, Transcript context, BigInteger x, GroupElement publicX, SecureRandom random) {
        BigInteger k = group.randomScalar(random);
        GroupElement kG = group.multiplyBase(k);
        BigInteger c = challenge(group, context, publicX, kG);
        BigInteger z = k.add(c.multiply(x)).mod(group.order());
        return new SchnorrProof(kG, z);
    }

    public boolean verify(Group group, Transcript context, GroupElement publicX) {
        if (publicX.isIdentity() || commitment.isIdentity()) return false;
        BigInteger c = challenge(group, context, publicX, commitment);
        return group.multiplyBase(response).equals(commitment.add(publicX.multiply(c)));
    }

    private static BigInteger challenge(Group group, Transcript context, GroupElement publicX, GroupElement kG) {
        return context.append("group", group.name()).append("X", publicX.encode()).append("R", kG.encode()).challenge(group.order());
    }

    public void writeTo(Group group, CanonicalWriter w) {
        w.fixed(commitment.encode(), group.elementLength()).fixed(group.encodeScalar(response), group.scalarLength());
    }

    public static SchnorrProof readFrom(Group group, CanonicalReader r) {
        GroupElement c = group.decodeElement(r.fixed(group.elementLength(), "proof commitment"));
        BigInteger z = group.decodeScalar(r.fixed(group.scalarLength(), "proof response"));
        return new SchnorrProof(c, z);
    }
}
