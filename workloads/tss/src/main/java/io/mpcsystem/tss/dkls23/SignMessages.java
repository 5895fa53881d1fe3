package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.dkls23.mult.MultiplicationReceiver;
import io.mpcsystem.tss.dkls23.mult.SenderMessage;
import io.mpcsystem.tss.dkls23.ot.KosExtension;
import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.group.Secp256k1;
import java.math.BigInteger;

/** The messages of DKLs23 signing, with their canonical encodings (type tags 0x0120-0x0123; the signature share is Dkls23SignatureShare). */
final class SignMessages {
    private static final Secp256k1 G = Secp256k1.INSTANCE;

    private SignMessages() {
    }

    /** Round 1, broadcast: commitment to the instance key R_i. */
    record NonceCommitment(byte[] digest) {
        static final int TAG = 0x0120;

        byte[] encode() {
            return CanonicalWriter.of(TAG).fixed(digest, 32).toByteArray();
        }

        static NonceCommitment decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "nonce commitment");
            NonceCommitment c = new NonceCommitment(r.fixed(32, "digest"));
            r.finish("nonce commitment");
            return c;
        }
    }

    /** Round 1, direct: the OT-extension request that starts the multiplication where the receiver of this message is the sender. */
    record MultiplyRequest(KosExtension.Request request) {
        static final int TAG = 0x0121;

        byte[] encode() {
            CanonicalWriter w = CanonicalWriter.of(TAG);
            request.writeTo(w, MultiplicationReceiver.OTS);
            return w.toByteArray();
        }

        static MultiplyRequest decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "multiply request");
            MultiplyRequest m = new MultiplyRequest(KosExtension.Request.readFrom(r, MultiplicationReceiver.OTS));
            r.finish("multiply request");
            return m;
        }
    }

    /** Round 2, broadcast: the instance key R_i and the salt of its commitment. */
    record NonceReveal(Secp256k1.Point instanceKey, byte[] salt) {
        static final int TAG = 0x0122;

        byte[] encode() {
            return CanonicalWriter.of(TAG).fixed(instanceKey.encode(), 33).fixed(salt, 32).toByteArray();
        }

        static NonceReveal decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "nonce reveal");
            NonceReveal n = new NonceReveal(G.decodeElement(r.fixed(33, "instance key")), r.fixed(32, "salt"));
            r.finish("nonce reveal");
            return n;
        }
    }

    /**
     * Round 2, direct: the multiplication sender's answer, Γ^u = c^u·G and Γ^v = c^v·G that tie its
     * inputs to R_i and to its public key share, and ψ = φ_i − χ, which lets the receiver turn the
     * random-input product into a product with φ_i.
     */
    record MultiplyResponse(SenderMessage message, Secp256k1.Point gammaU, Secp256k1.Point gammaV, BigInteger psi) {
        static final int TAG = 0x0123;

        byte[] encode() {
            CanonicalWriter w = CanonicalWriter.of(TAG);
            message.writeTo(w);
            return w.fixed(gammaU.encode(), 33).fixed(gammaV.encode(), 33).fixed(G.encodeScalar(psi), 32).toByteArray();
        }

        static MultiplyResponse decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "multiply response");
            SenderMessage m = SenderMessage.readFrom(r);
            Secp256k1.Point gu = G.decodeElement(r.fixed(33, "gamma u"));
            Secp256k1.Point gv = G.decodeElement(r.fixed(33, "gamma v"));
            BigInteger psi = G.decodeScalar(r.fixed(32, "psi"));
            r.finish("multiply response");
            return new MultiplyResponse(m, gu, gv, psi);
        }

        @Override
        public String toString() {
            return "MultiplyResponse[redacted]";
        }
    }
}
