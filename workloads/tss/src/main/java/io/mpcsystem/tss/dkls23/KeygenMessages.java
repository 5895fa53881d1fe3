package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.dkls23.ot.BaseOtMessages;
import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.group.SchnorrProof;
import io.mpcsystem.tss.group.Secp256k1;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** The messages of DKLs23 key generation and refresh, with their canonical encodings (type tags 0x0110-0x0113, 0x0115-0x0118; 0x0114 is retired). */
final class KeygenMessages {
    private static final Secp256k1 G = Secp256k1.INSTANCE;

    private KeygenMessages() {
    }

    /** Round 1, broadcast: a hash commitment to the dealer's Feldman commitments and proof. */
    record Commitment(byte[] digest) {
        static final int TAG = 0x0110;

        byte[] encode() {
            return CanonicalWriter.of(TAG).fixed(digest, 32).toByteArray();
        }

        static Commitment decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "keygen commitment");
            Commitment c = new Commitment(r.fixed(32, "commitment digest"));
            r.finish("keygen commitment");
            return c;
        }
    }

    /** Round 1, direct: the base-OT sender key for the instance where the receiver is the OT-extension sender. */
    record BaseOtStart(BaseOtMessages.SenderKey key) {
        static final int TAG = 0x0111;

        byte[] encode() {
            CanonicalWriter w = CanonicalWriter.of(TAG);
            key.writeTo(w);
            return w.toByteArray();
        }

        static BaseOtStart decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "base OT start");
            BaseOtStart m = new BaseOtStart(BaseOtMessages.SenderKey.readFrom(r));
            r.finish("base OT start");
            return m;
        }
    }

    /**
     * Round 2, broadcast: the opened commitment. In key generation the Feldman vector has
     * {@code threshold} points and a proof of knowledge of the constant term; in a refresh the
     * constant term is zero, so its commitment (the identity) is left out, and so is the proof.
     */
    record Reveal(byte[] salt, List<GroupElement> commitments, SchnorrProof proof) {
        static final int TAG = 0x0112;

        byte[] encode() {
            CanonicalWriter w = CanonicalWriter.of(TAG).fixed(salt, 32).u16(commitments.size());
            for (GroupElement c : commitments) w.fixed(c.encode(), 33);
            w.u8(proof == null ? 0 : 1);
            if (proof != null) proof.writeTo(G, w);
            return w.toByteArray();
        }

        static Reveal decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "keygen reveal");
            byte[] salt = r.fixed(32, "salt");
            int n = r.u16("commitment count");
            if (n > 255) throw new io.mpcsystem.tss.encoding.MalformedEncodingException("keygen reveal: too many commitments");
            List<GroupElement> cs = new ArrayList<>(n);
            for (int k = 0; k < n; k++) cs.add(G.decodeElement(r.fixed(33, "feldman commitment")));
            int hasProof = r.u8("proof flag");
            if (hasProof > 1) throw new io.mpcsystem.tss.encoding.MalformedEncodingException("keygen reveal: bad proof flag");
            SchnorrProof proof = hasProof == 1 ? SchnorrProof.readFrom(G, r) : null;
            r.finish("keygen reveal");
            return new Reveal(salt, cs, proof);
        }
    }

    /** Round 2, direct: the dealer's share f_i(j) for the receiver and its base-OT choice points. */
    record ShareAndChoices(BigInteger share, BaseOtMessages.Choices choices) {
        static final int TAG = 0x0113;

        byte[] encode() {
            CanonicalWriter w = CanonicalWriter.of(TAG).fixed(G.encodeScalar(share), 32);
            choices.writeTo(w);
            return w.toByteArray();
        }

        static ShareAndChoices decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "keygen share");
            BigInteger s = G.decodeScalar(r.fixed(32, "share"));
            BaseOtMessages.Choices c = BaseOtMessages.Choices.readFrom(r);
            r.finish("keygen share");
            return new ShareAndChoices(s, c);
        }

        @Override
        public String toString() {
            return "ShareAndChoices[redacted]";
        }
    }

    /**
     * Round 3, broadcast: per dealer 1..n, a hash of the round-1 commitment and round-2 reveal this
     * party received from it (its own included), to detect equivocation. One digest per dealer, not
     * one for the whole view, so a disagreement shows whose broadcast it is about, and only a party
     * whose own messages contradict each other is blamed. (Tag 0x0114, one digest for the whole
     * view, is retired.)
     */
    record ViewConfirmation(List<byte[]> digests) {
        static final int TAG = 0x0118;

        ViewConfirmation {
            digests = List.copyOf(digests);
        }

        byte[] digest(int dealer) {
            return digests.get(dealer - 1);
        }

        byte[] encode() {
            CanonicalWriter w = CanonicalWriter.of(TAG).u16(digests.size());
            for (byte[] d : digests) w.fixed(d, 32);
            return w.toByteArray();
        }

        static ViewConfirmation decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "view confirmation");
            int n = r.u16("dealer count");
            if (n < 2 || n > 255) throw new io.mpcsystem.tss.encoding.MalformedEncodingException("view confirmation: bad dealer count " + n);
            List<byte[]> ds = new ArrayList<>(n);
            for (int k = 0; k < n; k++) ds.add(r.fixed(32, "view digest"));
            r.finish("view confirmation");
            return new ViewConfirmation(ds);
        }
    }

    /** Rounds 3 and 4, direct: base-OT challenges, then responses. */
    record BaseOtDigests(int tag, BaseOtMessages.Digests digests) {
        static final int CHALLENGE_TAG = 0x0115;
        static final int RESPONSE_TAG = 0x0116;

        byte[] encode() {
            CanonicalWriter w = CanonicalWriter.of(tag);
            digests.writeTo(w);
            return w.toByteArray();
        }

        static BaseOtDigests decode(byte[] b, int tag) {
            CanonicalReader r = CanonicalReader.of(b, tag, "base OT digests");
            BaseOtDigests d = new BaseOtDigests(tag, BaseOtMessages.Digests.readFrom(r));
            r.finish("base OT digests");
            return d;
        }
    }

    /** Round 5, direct: base-OT openings. */
    record BaseOtOpenings(BaseOtMessages.Openings openings) {
        static final int TAG = 0x0117;

        byte[] encode() {
            CanonicalWriter w = CanonicalWriter.of(TAG);
            openings.writeTo(w);
            return w.toByteArray();
        }

        static BaseOtOpenings decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "base OT openings");
            BaseOtOpenings o = new BaseOtOpenings(BaseOtMessages.Openings.readFrom(r));
            r.finish("base OT openings");
            return o;
        }
    }
}
