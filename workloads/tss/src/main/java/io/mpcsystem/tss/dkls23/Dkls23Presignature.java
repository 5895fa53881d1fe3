package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.encoding.MalformedEncodingException;
import io.mpcsystem.tss.group.Secp256k1;
import java.math.BigInteger;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * One signer's output of the DKLs23 rounds that come before the message: the joint instance key
 * R, this party's additive share u_i of r·φ, its share v_i of sk·φ and its mask φ_i.
 *
 * <p>A presignature is as secret as a nonce: two signature shares from one presignature for two
 * messages give away the key (w_i − w_i' = (H(m) − H(m'))·φ_i, and the signatures then share their
 * nonce). So {@link #signatureShare} works once and wipes the secrets, and whoever keeps
 * presignatures must delete the stored copy durably before releasing the share. The encoding is
 * for the party's encrypted store only; toString never shows a secret.
 */
public final class Dkls23Presignature {
    static final int TAG = 0x0130;
    private static final Secp256k1 G = Secp256k1.INSTANCE;
    private static final BigInteger Q = G.order();

    private final SessionId session;
    private final Secp256k1.Point publicKey;
    private final int self;
    private final Set<Integer> signers;
    private final Secp256k1.Point instanceKey;
    private BigInteger u;
    private BigInteger v;
    private BigInteger phi;
    private boolean spent;

    Dkls23Presignature(SessionId session, Secp256k1.Point publicKey, int self, Set<Integer> signers, Secp256k1.Point instanceKey,
                       BigInteger u, BigInteger v, BigInteger phi) {
        this.session = session;
        this.publicKey = publicKey;
        this.self = self;
        this.signers = Collections.unmodifiableSet(new TreeSet<>(signers));
        this.instanceKey = instanceKey;
        this.u = u;
        this.v = v;
        this.phi = phi;
    }

    /** The protocol run that made it; all its signers hold presignatures with this id and the same R. */
    public SessionId session() {
        return session;
    }

    public byte[] publicKey() {
        return publicKey.encode();
    }

    public int index() {
        return self;
    }

    public Set<Integer> signers() {
        return signers;
    }

    /** R, compressed (33 bytes): public, the same at every signer. */
    public byte[] instanceKey() {
        return instanceKey.encode();
    }

    /**
     * This party's share (u_i, w_i = H(m)·φ_i + r_x·v_i) of the signature on {@code messageHash}.
     * Usable once: the secrets are wiped before it returns.
     */
    public synchronized Dkls23SignatureShare signatureShare(byte[] messageHash) {
        if (messageHash.length != 32) throw new IllegalArgumentException("DKLs23 signs a 32-byte hash, got " + messageHash.length + " bytes");
        if (spent) throw new IllegalStateException("this presignature has been used or wiped");
        BigInteger rx = instanceKey.affineX().mod(Q);
        BigInteger w = new BigInteger(1, messageHash).multiply(phi).add(rx.multiply(v)).mod(Q);
        Dkls23SignatureShare out = new Dkls23SignatureShare(self, u, w);
        wipe();
        return out;
    }

    /** Overwrites the secrets; the presignature can no longer sign. */
    public synchronized void wipe() {
        u = BigInteger.ZERO;
        v = BigInteger.ZERO;
        phi = BigInteger.ZERO;
        spent = true;
    }

    /** For the party's encrypted store (type 0x0130). */
    public synchronized byte[] encode() {
        if (spent) throw new IllegalStateException("this presignature has been used or wiped");
        CanonicalWriter w = CanonicalWriter.of(TAG).bytes(session.bytes()).fixed(publicKey.encode(), 33).u8(self).u8(signers.size());
        for (int j : signers) w.u8(j);
        return w.fixed(instanceKey.encode(), 33).fixed(G.encodeScalar(u), 32).fixed(G.encodeScalar(v), 32).fixed(G.encodeScalar(phi), 32).toByteArray();
    }

    public static Dkls23Presignature decode(byte[] bytes) {
        CanonicalReader r = CanonicalReader.of(bytes, TAG, "presignature");
        SessionId session = new SessionId(r.bytes(64, "session"));
        Secp256k1.Point pk = G.decodeElement(r.fixed(33, "public key"));
        int self = r.u8("index");
        int count = r.u8("signer count");
        Set<Integer> signers = new TreeSet<>();
        for (int i = 0; i < count; i++) signers.add(r.u8("signer"));
        if (signers.size() != count || count < 2 || !signers.contains(self) || signers.contains(0)) {
            throw new MalformedEncodingException("presignature: invalid signer set");
        }
        Secp256k1.Point bigR = G.decodeElement(r.fixed(33, "instance key"));
        Dkls23Presignature p = new Dkls23Presignature(session, pk, self, signers, bigR, G.decodeScalar(r.fixed(32, "u")),
                G.decodeScalar(r.fixed(32, "v")), G.decodeScalar(r.fixed(32, "phi")));
        r.finish("presignature");
        return p;
    }

    @Override
    public String toString() {
        return "Dkls23Presignature[session=" + session + ", index=" + self + ", signers=" + signers + ", secrets redacted]";
    }
}
