package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.group.Group;
import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.group.Lagrange;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything public a signing run fixes after round one: the group key, the message and every
 * signer's commitments. From it follow RFC 9591's binding factors, group commitment R and
 * challenge c, and with them each signature share and its check.
 */
public final class FrostSigningPackage {
    private final FrostCiphersuite suite;
    private final GroupElement groupPublicKey;
    private final byte[] message;
    private final SortedMap<Integer, SigningCommitment> commitments;
    private final SortedMap<Integer, BigInteger> bindingFactors;
    private final GroupElement groupCommitment;
    private final BigInteger challenge;

    public FrostSigningPackage(FrostCiphersuite suite, GroupElement groupPublicKey, byte[] message, Collection<SigningCommitment> commitments) {
        this.suite = suite;
        this.groupPublicKey = groupPublicKey;
        this.message = message.clone();
        SortedMap<Integer, SigningCommitment> sorted = new TreeMap<>();
        for (SigningCommitment c : commitments) {
            if (sorted.put(c.identifier(), c) != null) throw new IllegalArgumentException("two commitments from party " + c.identifier());
        }
        if (sorted.isEmpty()) throw new IllegalArgumentException("no commitments");
        this.commitments = Collections.unmodifiableSortedMap(sorted);
        this.bindingFactors = Collections.unmodifiableSortedMap(computeBindingFactors());
        this.groupCommitment = computeGroupCommitment();
        this.challenge = challenge(suite, groupCommitment, groupPublicKey, this.message);
    }

    /** RFC 9591 encode_group_commitment_list, in ascending identifier order. */
    byte[] encodeCommitmentList() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (SigningCommitment c : commitments.values()) {
            out.writeBytes(suite.identifier(c.identifier()));
            out.writeBytes(c.hiding().encode());
            out.writeBytes(c.binding().encode());
        }
        return out.toByteArray();
    }

    /** The binding factor input of one signer (group key, H4(msg), H5(commitments), identifier). */
    byte[] bindingFactorInput(int identifier) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(groupPublicKey.encode());
        out.writeBytes(suite.h4(message));
        out.writeBytes(suite.h5(encodeCommitmentList()));
        out.writeBytes(suite.identifier(identifier));
        return out.toByteArray();
    }

    private SortedMap<Integer, BigInteger> computeBindingFactors() {
        SortedMap<Integer, BigInteger> out = new TreeMap<>();
        for (int id : commitments.keySet()) out.put(id, suite.h1(bindingFactorInput(id)));
        return out;
    }

    private GroupElement computeGroupCommitment() {
        GroupElement acc = suite.group().identity();
        for (SigningCommitment c : commitments.values()) {
            acc = acc.add(c.hiding()).add(c.binding().multiply(bindingFactors.get(c.identifier())));
        }
        return acc;
    }

    /** RFC 9591 compute_challenge: H2(SerializeElement(R) || SerializeElement(PK) || msg). */
    static BigInteger challenge(FrostCiphersuite suite, GroupElement r, GroupElement groupPublicKey, byte[] message) {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(r.encode());
        in.writeBytes(groupPublicKey.encode());
        in.writeBytes(message);
        return suite.h2(in.toByteArray());
    }

    public List<Integer> signers() {
        return List.copyOf(commitments.keySet());
    }

    public BigInteger bindingFactor(int identifier) {
        BigInteger rho = bindingFactors.get(identifier);
        if (rho == null) throw new IllegalArgumentException("party " + identifier + " is not a signer");
        return rho;
    }

    public GroupElement groupCommitment() {
        return groupCommitment;
    }

    public BigInteger challenge() {
        return challenge;
    }

    BigInteger lambda(int identifier) {
        return Lagrange.atZero(suite.group().order(), identifier, commitments.keySet());
    }

    /** RFC 9591 sign: z_i = d_i + e_i·ρ_i + λ_i·s_i·c. */
    BigInteger signShare(int identifier, BigInteger secretShare, SigningNonces nonces) {
        BigInteger q = suite.group().order();
        SigningCommitment mine = commitments.get(identifier);
        if (mine == null) throw new IllegalArgumentException("party " + identifier + " is not a signer");
        if (!nonces.commitment(suite, identifier).equals(mine)) throw new IllegalStateException("nonces do not match this signer's commitment");
        return nonces.hiding()
                .add(nonces.binding().multiply(bindingFactor(identifier)))
                .add(lambda(identifier).multiply(secretShare).mod(q).multiply(challenge))
                .mod(q);
    }

    /** RFC 9591 verify_signature_share: z_i·G == D_i + ρ_i·E_i + (c·λ_i)·Y_i. */
    boolean verifyShare(int identifier, BigInteger share, GroupElement verifyingShare) {
        SigningCommitment c = commitments.get(identifier);
        if (c == null) return false;
        Group g = suite.group();
        GroupElement commShare = c.hiding().add(c.binding().multiply(bindingFactor(identifier)));
        GroupElement expected = commShare.add(verifyingShare.multiply(challenge.multiply(lambda(identifier)).mod(g.order())));
        return g.multiplyBase(share).equals(expected);
    }

    /** RFC 9591 aggregate: (R, Σ z_i); the caller has verified every share. */
    FrostSignature aggregate(Map<Integer, BigInteger> shares) {
        if (!shares.keySet().equals(commitments.keySet())) throw new IllegalArgumentException("need exactly one share per signer");
        BigInteger z = BigInteger.ZERO;
        for (BigInteger s : shares.values()) z = z.add(s);
        return new FrostSignature(groupCommitment, z.mod(suite.group().order()));
    }

    List<SigningCommitment> commitments() {
        return new ArrayList<>(commitments.values());
    }
}
