package io.mpcsystem.tss.dkls23.ot;

import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.group.SchnorrProof;
import io.mpcsystem.tss.group.Secp256k1;
import java.util.ArrayList;
import java.util.List;

/** The five messages of a batch of verified simplest OTs (DKLs18, protocol 7), each for all {@link KosExtension#KAPPA} OTs. */
public final class BaseOtMessages {
    private static final Secp256k1 G = Secp256k1.INSTANCE;
    private static final int K = KosExtension.KAPPA;

    private BaseOtMessages() {
    }

    /** Sender → receiver: the sender's public key B = b·G with a proof of knowledge of b. */
    public record SenderKey(GroupElement key, SchnorrProof proof) {
        public void writeTo(CanonicalWriter w) {
            w.fixed(key.encode(), 33);
            proof.writeTo(G, w);
        }

        public static SenderKey readFrom(CanonicalReader r) {
            GroupElement b = G.decodeElement(r.fixed(33, "base ot sender key"));
            return new SenderKey(b, SchnorrProof.readFrom(G, r));
        }
    }

    /** Receiver → sender: A_k = a_k·G + ω_k·B for each OT. */
    public record Choices(List<GroupElement> points) {
        public Choices {
            points = List.copyOf(points);
            if (points.size() != K) throw new IllegalArgumentException("need " + K + " choice points");
        }

        public void writeTo(CanonicalWriter w) {
            for (GroupElement p : points) w.fixed(p.encode(), 33);
        }

        public static Choices readFrom(CanonicalReader r) {
            List<GroupElement> pts = new ArrayList<>(K);
            for (int k = 0; k < K; k++) pts.add(G.decodeElement(r.fixed(33, "base ot choice point")));
            return new Choices(pts);
        }
    }

    /** Fixed-size 32-byte values, one per OT (challenges and responses). */
    public record Digests(List<byte[]> values) {
        public Digests {
            values = List.copyOf(values);
            if (values.size() != K) throw new IllegalArgumentException("need " + K + " values");
        }

        public void writeTo(CanonicalWriter w) {
            for (byte[] v : values) w.fixed(v, 32);
        }

        public static Digests readFrom(CanonicalReader r) {
            List<byte[]> vs = new ArrayList<>(K);
            for (int k = 0; k < K; k++) vs.add(r.fixed(32, "base ot digest"));
            return new Digests(vs);
        }
    }

    /** Sender → receiver: the openings H(ρ0_k), H(ρ1_k) that let the receiver check the challenges. */
    public record Openings(Digests first, Digests second) {
        public void writeTo(CanonicalWriter w) {
            first.writeTo(w);
            second.writeTo(w);
        }

        public static Openings readFrom(CanonicalReader r) {
            return new Openings(Digests.readFrom(r), Digests.readFrom(r));
        }
    }
}
