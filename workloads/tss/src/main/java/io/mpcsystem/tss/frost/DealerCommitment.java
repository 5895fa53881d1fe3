package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.encoding.MalformedEncodingException;
import io.mpcsystem.tss.group.Group;
import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.group.SchnorrProof;
import java.util.ArrayList;
import java.util.List;

/**
 * A dealer's round-one broadcast. Keygen: the Feldman commitments [a_0·G .. a_{t-1}·G] and a
 * proof of knowledge of a_0. Refresh: the fingerprint of the key being refreshed and the
 * commitments [a_1·G .. a_{t-1}·G]; a_0 is zero, whose commitment (the identity) has no
 * encoding, so it is left out and implied, which is exactly the check that the dealt value is zero.
 */
record DealerCommitment(byte[] keyFingerprint, List<GroupElement> commitments, SchnorrProof proof) {
    static final int FINGERPRINT_LENGTH = 32;

    DealerCommitment {
        commitments = List.copyOf(commitments);
    }

    static DealerCommitment keygen(List<GroupElement> commitments, SchnorrProof proof) {
        return new DealerCommitment(null, commitments, proof);
    }

    static DealerCommitment refresh(byte[] fingerprint, List<GroupElement> higherCommitments) {
        return new DealerCommitment(fingerprint.clone(), higherCommitments, null);
    }

    /** The full commitment vector, constant term first (the identity for refresh). */
    List<GroupElement> fullCommitments(Group g) {
        if (proof != null) return commitments;
        List<GroupElement> full = new ArrayList<>(commitments.size() + 1);
        full.add(g.identity());
        full.addAll(commitments);
        return full;
    }

    byte[] encode(FrostCiphersuite suite) {
        Group g = suite.group();
        CanonicalWriter w;
        if (proof != null) {
            w = CanonicalWriter.of(FrostDealingRun.KEYGEN_COMMITMENT);
        } else {
            w = CanonicalWriter.of(FrostDealingRun.REFRESH_COMMITMENT).fixed(keyFingerprint, FINGERPRINT_LENGTH);
        }
        w.u16(commitments.size());
        for (GroupElement c : commitments) w.fixed(c.encode(), g.elementLength());
        if (proof != null) proof.writeTo(g, w);
        return w.toByteArray();
    }

    /** Decodes a round-one broadcast, requiring exactly the number of commitments the threshold implies. */
    static DealerCommitment decode(FrostDealingRun run, byte[] bytes) {
        Group g = run.suite().group();
        String what = "FROST " + run.kind() + " commitment";
        CanonicalReader r = CanonicalReader.of(bytes, run.isRefresh() ? FrostDealingRun.REFRESH_COMMITMENT : FrostDealingRun.KEYGEN_COMMITMENT, what);
        byte[] fingerprint = run.isRefresh() ? r.fixed(FINGERPRINT_LENGTH, "key fingerprint") : null;
        int count = r.u16("commitment count");
        int expected = run.isRefresh() ? run.threshold() - 1 : run.threshold();
        if (count != expected) throw new MalformedEncodingException(what + ": " + count + " commitments, expected " + expected);
        List<GroupElement> cs = new ArrayList<>(count);
        for (int k = 0; k < count; k++) cs.add(g.decodeElement(r.fixed(g.elementLength(), "commitment")));
        SchnorrProof proof = run.isRefresh() ? null : SchnorrProof.readFrom(g, r);
        r.finish(what);
        return new DealerCommitment(fingerprint, cs, proof);
    }
}
