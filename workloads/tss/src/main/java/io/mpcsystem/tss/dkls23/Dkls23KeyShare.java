package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.KeyShare;
import io.mpcsystem.tss.dkls23.ot.ExtensionReceiverSeeds;
import io.mpcsystem.tss.dkls23.ot.ExtensionSenderSeeds;
import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.encoding.MalformedEncodingException;
import io.mpcsystem.tss.group.Secp256k1;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One party's DKLs23 key share: its Shamir share x_i of the secp256k1 key, the public shares
 * X_j = x_j·G of all parties, and with every peer the OT-extension setup for both directions of
 * the two-party multiplication. Everything but the public parts is secret.
 */
public final class Dkls23KeyShare implements KeyShare {
    static final int TYPE_TAG = 0x0101;
    private static final Secp256k1 G = Secp256k1.INSTANCE;

    private final int index;
    private final int threshold;
    private final int parties;
    private final int generation;
    private final byte[] secret;
    private final Secp256k1.Point publicKey;
    private final List<Secp256k1.Point> publicShares;
    private final Map<Integer, ExtensionSenderSeeds> senderSeeds;
    private final Map<Integer, ExtensionReceiverSeeds> receiverSeeds;
    private volatile boolean wiped;

    Dkls23KeyShare(int index, int threshold, int parties, int generation, BigInteger secret, Secp256k1.Point publicKey,
                   List<Secp256k1.Point> publicShares, Map<Integer, ExtensionSenderSeeds> senderSeeds,
                   Map<Integer, ExtensionReceiverSeeds> receiverSeeds) {
        if (parties < 2 || threshold < 1 || threshold > parties) throw new IllegalArgumentException("need 1 <= threshold <= parties, parties >= 2");
        if (index < 1 || index > parties) throw new IllegalArgumentException("index out of range");
        if (publicShares.size() != parties) throw new IllegalArgumentException("one public share per party");
        this.index = index;
        this.threshold = threshold;
        this.parties = parties;
        this.generation = generation;
        this.secret = G.encodeScalar(secret);
        this.publicKey = publicKey;
        this.publicShares = List.copyOf(publicShares);
        this.senderSeeds = Collections.unmodifiableMap(new TreeMap<>(senderSeeds));
        this.receiverSeeds = Collections.unmodifiableMap(new TreeMap<>(receiverSeeds));
        if (this.senderSeeds.size() != parties - 1 || this.receiverSeeds.size() != parties - 1) throw new IllegalArgumentException("OT setup with every peer needed");
    }

    @Override
    public String scheme() {
        return Dkls23Scheme.ID;
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

    /** How many refreshes produced this share (0 after key generation). */
    public int generation() {
        return generation;
    }

    @Override
    public byte[] publicKey() {
        return publicKey.encode();
    }

    Secp256k1.Point publicKeyPoint() {
        return publicKey;
    }

    /** X_j = x_j·G for party j (1-based). */
    public Secp256k1.Point publicShare(int j) {
        return publicShares.get(j - 1);
    }

    List<Secp256k1.Point> publicShares() {
        return publicShares;
    }

    BigInteger secret() {
        if (wiped) throw new IllegalStateException("key share was wiped");
        return new BigInteger(1, secret);
    }

    ExtensionSenderSeeds senderSeeds(int peer) {
        if (wiped) throw new IllegalStateException("key share was wiped");
        return senderSeeds.get(peer);
    }

    ExtensionReceiverSeeds receiverSeeds(int peer) {
        if (wiped) throw new IllegalStateException("key share was wiped");
        return receiverSeeds.get(peer);
    }

    @Override
    public byte[] encode() {
        if (wiped) throw new IllegalStateException("key share was wiped");
        CanonicalWriter w = CanonicalWriter.of(TYPE_TAG).u16(index).u16(threshold).u16(parties).u32(generation)
                .fixed(secret, 32).fixed(publicKey.encode(), 33);
        for (Secp256k1.Point p : publicShares) w.fixed(p.encode(), 33);
        for (int j = 1; j <= parties; j++) {
            if (j == index) continue;
            senderSeeds.get(j).writeTo(w);
            receiverSeeds.get(j).writeTo(w);
        }
        return w.toByteArray();
    }

    /** Decodes and checks a share: ranges, curve points, and that the secret matches its public share. */
    public static Dkls23KeyShare decode(byte[] bytes) {
        CanonicalReader r = CanonicalReader.of(bytes, TYPE_TAG, "DKLs23 key share");
        int index = r.u16("index");
        int threshold = r.u16("threshold");
        int parties = r.u16("parties");
        if (parties < 2 || parties > 255 || threshold < 1 || threshold > parties || index < 1 || index > parties) {
            throw new MalformedEncodingException("DKLs23 key share: inconsistent index, threshold or parties");
        }
        int generation = r.u32("generation");
        BigInteger secret = G.decodeScalar(r.fixed(32, "secret share"));
        Secp256k1.Point pk = G.decodeElement(r.fixed(33, "public key"));
        List<Secp256k1.Point> shares = new ArrayList<>(parties);
        for (int j = 0; j < parties; j++) shares.add(G.decodeElement(r.fixed(33, "public share")));
        Map<Integer, ExtensionSenderSeeds> send = new TreeMap<>();
        Map<Integer, ExtensionReceiverSeeds> recv = new TreeMap<>();
        for (int j = 1; j <= parties; j++) {
            if (j == index) continue;
            send.put(j, ExtensionSenderSeeds.readFrom(r));
            recv.put(j, ExtensionReceiverSeeds.readFrom(r));
        }
        r.finish("DKLs23 key share");
        if (!G.multiplyBase(secret).equals(shares.get(index - 1))) {
            throw new MalformedEncodingException("DKLs23 key share: secret does not match its public share");
        }
        // the public shares must interpolate to the public key, or signing would fail later with a
        // misleading blame
        java.util.Set<Integer> first = new java.util.TreeSet<>();
        for (int j = 1; j <= threshold; j++) first.add(j);
        io.mpcsystem.tss.group.GroupElement acc = G.identity();
        for (int j : first) acc = acc.add(shares.get(j - 1).multiply(io.mpcsystem.tss.group.Lagrange.atZero(G.order(), j, first)));
        if (!acc.equals(pk)) throw new MalformedEncodingException("DKLs23 key share: public shares do not interpolate to the public key");
        return new Dkls23KeyShare(index, threshold, parties, generation, secret, pk, shares, send, recv);
    }

    @Override
    public void wipe() {
        wiped = true;
        Arrays.fill(secret, (byte) 0);
        senderSeeds.values().forEach(ExtensionSenderSeeds::wipe);
        receiverSeeds.values().forEach(ExtensionReceiverSeeds::wipe);
    }

    @Override
    public String toString() {
        return "Dkls23KeyShare[party " + index + ", " + threshold + "-of-" + parties + ", generation " + generation
                + ", public key " + org.bouncycastle.util.encoders.Hex.toHexString(publicKey.encode()) + ", secrets redacted]";
    }
}
