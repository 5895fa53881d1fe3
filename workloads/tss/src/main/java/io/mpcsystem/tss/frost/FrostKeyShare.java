package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.KeyShare;
import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.encoding.MalformedEncodingException;
import io.mpcsystem.tss.group.Group;
import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.group.Lagrange;
import io.mpcsystem.tss.hash.Transcript;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One participant's FROST key: its secret share s_i, the group public key and every
 * participant's verifying share Y_j = s_j·G (the aggregator checks signature shares with them).
 */
public final class FrostKeyShare implements KeyShare {
    static final int TYPE = 0x0201;
    static final int MAX_PARTIES = 1024;

    private final FrostCiphersuite suite;
    private final int index;
    private final int threshold;
    private final int parties;
    private BigInteger secret;
    private final GroupElement groupPublicKey;
    private final List<GroupElement> verifyingShares;

    FrostKeyShare(FrostCiphersuite suite, int index, int threshold, int parties, BigInteger secret,
                  GroupElement groupPublicKey, List<GroupElement> verifyingShares) {
        if (parties < 2 || parties > MAX_PARTIES) throw new IllegalArgumentException("parties must be 2.." + MAX_PARTIES);
        if (threshold < 2 || threshold > parties) throw new IllegalArgumentException("threshold must be 2..parties");
        if (index < 1 || index > parties) throw new IllegalArgumentException("index must be 1..parties");
        if (verifyingShares.size() != parties) throw new IllegalArgumentException("need one verifying share per party");
        if (groupPublicKey.isIdentity()) throw new IllegalArgumentException("group public key is the identity");
        this.suite = suite;
        this.index = index;
        this.threshold = threshold;
        this.parties = parties;
        this.secret = secret;
        this.groupPublicKey = groupPublicKey;
        this.verifyingShares = List.copyOf(verifyingShares);
        if (!suite.group().multiplyBase(secret).equals(verifyingShare(index))) {
            throw new IllegalArgumentException("secret share does not match its verifying share");
        }
        if (!interpolatesToGroupKey()) throw new IllegalArgumentException("verifying shares do not interpolate to the group public key");
    }

    // a share set whose first t verifying shares do not meet the group key cannot sign
    private boolean interpolatesToGroupKey() {
        List<Integer> set = new ArrayList<>();
        for (int j = 1; j <= threshold; j++) set.add(j);
        GroupElement acc = suite.group().identity();
        for (int j : set) acc = acc.add(verifyingShare(j).multiply(Lagrange.atZero(suite.group().order(), j, set)));
        return acc.equals(groupPublicKey);
    }

    public FrostCiphersuite suite() {
        return suite;
    }

    @Override
    public String scheme() {
        return suite.schemeId();
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public int threshold() {
        return threshold;
    }

    @Override
    public int parties() {
        return parties;
    }

    @Override
    public byte[] publicKey() {
        return groupPublicKey.encode();
    }

    public GroupElement groupPublicKey() {
        return groupPublicKey;
    }

    /** Y_j, for j in 1..n. */
    public GroupElement verifyingShare(int party) {
        if (party < 1 || party > parties) throw new IllegalArgumentException("no party " + party);
        return verifyingShares.get(party - 1);
    }

    public List<GroupElement> verifyingShares() {
        return verifyingShares;
    }

    BigInteger secret() {
        if (secret == null) throw new IllegalStateException("key share was wiped");
        return secret;
    }

    /** Binds everything public about the key, so a refresh run can check all parties start from the same key. */
    byte[] publicFingerprint() {
        Transcript t = Transcript.of("mpc-system/frost/v1/key-fingerprint")
                .append("suite", suite.contextString())
                .append("threshold", threshold)
                .append("parties", parties)
                .append("group-key", groupPublicKey.encode());
        for (int j = 1; j <= parties; j++) t.append("verifying-share", verifyingShare(j).encode());
        return t.digest();
    }

    @Override
    public byte[] encode() {
        Group g = suite.group();
        CanonicalWriter w = CanonicalWriter.of(TYPE).u8(suite.code()).u16(index).u16(threshold).u16(parties)
                .fixed(g.encodeScalar(secret()), g.scalarLength())
                .fixed(groupPublicKey.encode(), g.elementLength());
        for (GroupElement y : verifyingShares) w.fixed(y.encode(), g.elementLength());
        return w.toByteArray();
    }

    /** Strict decoding: every field in range, and the secret must match the public data. */
    public static FrostKeyShare decode(byte[] bytes) {
        String what = "FROST key share";
        CanonicalReader r = CanonicalReader.of(bytes, TYPE, what);
        FrostCiphersuite suite = FrostCiphersuite.byCode(r.u8("ciphersuite"));
        Group g = suite.group();
        int index = r.u16("index");
        int threshold = r.u16("threshold");
        int parties = r.u16("parties");
        if (parties < 2 || parties > MAX_PARTIES) throw new MalformedEncodingException(what + ": parties out of range");
        if (threshold < 2 || threshold > parties) throw new MalformedEncodingException(what + ": threshold out of range");
        if (index < 1 || index > parties) throw new MalformedEncodingException(what + ": index out of range");
        if ((long) parties * g.elementLength() + g.scalarLength() + g.elementLength() != r.remaining()) {
            throw new MalformedEncodingException(what + ": wrong length");
        }
        BigInteger secret = g.decodeScalar(r.fixed(g.scalarLength(), "secret share"));
        GroupElement gpk = g.decodeElement(r.fixed(g.elementLength(), "group public key"));
        List<GroupElement> ys = new ArrayList<>(parties);
        for (int j = 0; j < parties; j++) ys.add(g.decodeElement(r.fixed(g.elementLength(), "verifying share")));
        r.finish(what);
        try {
            return new FrostKeyShare(suite, index, threshold, parties, secret, gpk, ys);
        } catch (IllegalArgumentException e) {
            throw new MalformedEncodingException(what + ": inconsistent (" + e.getMessage() + ")");
        }
    }

    @Override
    public void wipe() {
        secret = null;
    }

    @Override
    public String toString() {
        return "FrostKeyShare[" + suite.schemeId() + ", party " + index + " of " + parties + ", threshold " + threshold
                + ", publicKey=" + HexFormat.of().formatHex(publicKey()) + ", secret redacted]";
    }
}
