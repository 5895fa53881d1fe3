package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.dkls23.mult.MultiplicationReceiver;
import io.mpcsystem.tss.dkls23.mult.SenderMessage;
import io.mpcsystem.tss.dkls23.ot.KosExtension;
import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.group.Secp256k1;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of DKLs23 signing, with their canonical encodings (type tags 0x0120, 0x0121,
 * 0x0123, 0x0125-0x0127; the signature share 0x0124 is Dkls23SignatureShare). Tag 0x0122, the
 * nonce reveal without zero-share terms, is retired: decoders refuse it.
 */
final class SignMessages {
    private static final Secp256k1 G = Secp256k1.INSTANCE;

    private SignMessages() {
    }

    /**
     * Round 1, broadcast: this signer's fresh random contribution to the run's session id, and a
     * digest that binds it to the coordinator's session id, the key, the signer set, the kind of
     * run (and, online, the message) and the sender, so a round-1 message of another run is refused
     * at once. The contribution itself is public.
     */
    record SessionContribution(byte[] contribution, byte[] binding) {
        static final int TAG = 0x0125;
        static final int LENGTH = 32;

        byte[] encode() {
            return CanonicalWriter.of(TAG).fixed(contribution, LENGTH).fixed(binding, 32).toByteArray();
        }

        static SessionContribution decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "session contribution");
            SessionContribution c = new SessionContribution(r.fixed(LENGTH, "contribution"), r.fixed(32, "binding"));
            r.finish("session contribution");
            return c;
        }
    }

    /**
     * Round 1, direct: this signer's half of the pairwise seed it shares with the receiver for
     * this run; the two halves give the pair's term of the zero sharing. Secret (the service layer
     * encrypts direct payloads).
     */
    record ZeroSeed(byte[] seed) {
        static final int TAG = 0x0126;
        static final int LENGTH = 32;

        byte[] encode() {
            return CanonicalWriter.of(TAG).fixed(seed, LENGTH).toByteArray();
        }

        static ZeroSeed decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "zero-share seed");
            ZeroSeed z = new ZeroSeed(r.fixed(LENGTH, "seed"));
            r.finish("zero-share seed");
            return z;
        }

        @Override
        public String toString() {
            return "ZeroSeed[redacted]";
        }
    }

    /** Round 2, broadcast: commitment to the instance key R_i. */
    /**
     * Round 2, broadcast: the commitment to the sender's instance key, and the run session it
     * derived from round 1, echoed so that every signer can see that all saw the same
     * contributions before anything that would blame a peer is checked.
     */
    record NonceCommitment(byte[] digest, byte[] runEcho) {
        // 0x0120 carried the commitment alone
        static final int TAG = 0x0128;

        byte[] encode() {
            return CanonicalWriter.of(TAG).fixed(digest, 32).fixed(runEcho, 32).toByteArray();
        }

        static NonceCommitment decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "nonce commitment");
            NonceCommitment c = new NonceCommitment(r.fixed(32, "digest"), r.fixed(32, "run echo"));
            r.finish("nonce commitment");
            return c;
        }
    }

    /** Round 2, direct: the OT-extension request that starts the multiplication where the receiver of this message is the sender. */
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

    /**
     * Round 3, broadcast: the instance key R_i, the salt of its commitment, and the public image
     * ζ_{i,k}·G of each of the sender's zero-share terms, one per other signer k in increasing
     * order (ζ_i = Σ_k ζ_{i,k}, and ζ_{i,k} = −ζ_{k,i}). They let every signer compute the
     * sender's re-randomised public key share λ_i·X_i + ζ_i·G, check it against the
     * multiplication (Γ^v), and check that all the terms cancel.
     */
    record NonceReveal(Secp256k1.Point instanceKey, byte[] salt, List<Secp256k1.Point> zeroTerms) {
        static final int TAG = 0x0127;

        NonceReveal {
            zeroTerms = List.copyOf(zeroTerms);
        }

        byte[] encode() {
            CanonicalWriter w = CanonicalWriter.of(TAG).fixed(instanceKey.encode(), 33).fixed(salt, 32).u8(zeroTerms.size());
            for (Secp256k1.Point p : zeroTerms) w.fixed(p.encode(), 33);
            return w.toByteArray();
        }

        static NonceReveal decode(byte[] b) {
            CanonicalReader r = CanonicalReader.of(b, TAG, "nonce reveal");
            Secp256k1.Point bigR = G.decodeElement(r.fixed(33, "instance key"));
            byte[] salt = r.fixed(32, "salt");
            int count = r.u8("zero-share term count");
            List<Secp256k1.Point> terms = new ArrayList<>(count);
            for (int k = 0; k < count; k++) terms.add(G.decodeElement(r.fixed(33, "zero-share term")));
            r.finish("nonce reveal");
            return new NonceReveal(bigR, salt, terms);
        }
    }

    /**
     * Round 3, direct: the multiplication sender's answer, Γ^u = c^u·G and Γ^v = c^v·G that tie its
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
