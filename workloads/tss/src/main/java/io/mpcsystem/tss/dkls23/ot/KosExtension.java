package io.mpcsystem.tss.dkls23.ot;

import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import java.security.SecureRandom;

/**
 * Actively secure OT extension of Keller, Orsini and Scholl (CRYPTO 2015): from
 * {@link #KAPPA} base OTs, any number of random OTs, with the KOS consistency check in
 * GF(2^128) that stops a receiver from using inconsistent choice bits across columns (which
 * would reveal bits of the sender's Δ). Each extension's session is a hash of the caller's
 * context and a nonce chosen by the receiver.
 *
 * <p>The nonce alone does not keep a sender's pads fresh: a malicious receiver picks it, and can
 * repeat it. The caller's context must therefore hold fresh randomness of the sender's own; in
 * DKLs23 signing it binds the run session, which hashes every signer's round-1 contribution, so
 * the same base OTs never expand to the same pads twice at an honest sender (a replayed request
 * fails the consistency check instead).
 */
public final class KosExtension {
    /** Base OTs, and the computational security parameter of the extension. */
    public static final int KAPPA = 128;
    /** Statistical security of the consistency check; also the extra masking rows beyond KAPPA. */
    static final int STATISTICAL = 80;

    private KosExtension() {
    }

    /** Rows actually extended for {@code outputs} OTs: the check consumes KAPPA + STATISTICAL random rows. */
    static int paddedRows(int outputs) {
        int m = outputs + KAPPA + STATISTICAL;
        return (m + 7) / 8 * 8;
    }

    /** The receiver's message: its nonce, the column corrections u_j, and the check values x̂, t̂. */
    public record Request(byte[] nonce, byte[][] columns, long xHatHi, long xHatLo, long tHatHi, long tHatLo) {
        public void writeTo(CanonicalWriter w, int outputs) {
            int colBytes = paddedRows(outputs) / 8;
            w.fixed(nonce, 32);
            for (byte[] c : columns) w.fixed(c, colBytes);
            w.fixed(longs(xHatHi, xHatLo), 16).fixed(longs(tHatHi, tHatLo), 16);
        }

        public static Request readFrom(CanonicalReader r, int outputs) {
            int colBytes = paddedRows(outputs) / 8;
            byte[] nonce = r.fixed(32, "ot extension nonce");
            byte[][] cols = new byte[KAPPA][];
            for (int j = 0; j < KAPPA; j++) cols[j] = r.fixed(colBytes, "ot extension column");
            byte[] x = r.fixed(16, "ot extension check");
            byte[] t = r.fixed(16, "ot extension check");
            return new Request(nonce, cols, ExtensionSenderSeeds.bytesToLong(x, 8), ExtensionSenderSeeds.bytesToLong(x, 0),
                    ExtensionSenderSeeds.bytesToLong(t, 8), ExtensionSenderSeeds.bytesToLong(t, 0));
        }

        private static byte[] longs(long hi, long lo) {
            byte[] out = new byte[16];
            for (int i = 0; i < 8; i++) {
                out[i] = (byte) (lo >>> (8 * i));
                out[8 + i] = (byte) (hi >>> (8 * i));
            }
            return out;
        }
    }

    /**
     * The receiver's result: the request to send, its random choice bits and, per OT, the row
     * t_i that equals the sender's q_i ⊕ x_i·Δ.
     */
    public record ReceiverResult(Request request, boolean[] choices, long[][] rows, byte[] extensionSession) {
        /** Never the choice bits, rows or session: a record would print them all. */
        @Override
        public String toString() {
            return "KosExtension.ReceiverResult[" + rows.length + " OTs, secrets redacted]";
        }
    }

    /** The sender's result: per OT the row q_i; its two pads derive from q_i and q_i ⊕ Δ. */
    public record SenderResult(long[][] rows, long deltaHi, long deltaLo, byte[] extensionSession) {
        /** Never Δ, the rows or the session: a record would print them all (Δ in decimal). */
        @Override
        public String toString() {
            return "KosExtension.SenderResult[" + rows.length + " OTs, secrets redacted]";
        }
    }

    /** Receiver side: random choice bits, the extension request, and the receiver's rows. */
    public static ReceiverResult receive(ExtensionReceiverSeeds seeds, byte[] context, int outputs, SecureRandom random) {
        int m = paddedRows(outputs);
        int colBytes = m / 8;
        byte[] nonce = new byte[32];
        random.nextBytes(nonce);
        byte[] ext = OtHash.hash(OtHash.TAG_EXT_SESSION, context, nonce);
        byte[] x = new byte[colBytes];
        random.nextBytes(x);
        byte[][] t = new byte[KAPPA][];
        byte[][] u = new byte[KAPPA][];
        for (int j = 0; j < KAPPA; j++) {
            t[j] = OtHash.prg(seeds.seed0(j), ext, j, colBytes);
            byte[] uj = OtHash.prg(seeds.seed1(j), ext, j, colBytes);
            OtHash.xorInto(uj, t[j]);
            OtHash.xorInto(uj, x);
            u[j] = uj;
        }
        long[][] rows = transpose(t, m);
        long[][] chi = challenges(ext, u, m);
        long xHi = 0;
        long xLo = 0;
        long[] acc = new long[4];
        for (int i = 0; i < m; i++) {
            long mask = -(long) ((x[i >>> 3] >>> (i & 7)) & 1);
            xHi ^= chi[i][0] & mask;
            xLo ^= chi[i][1] & mask;
            Gf128.mulAccumulate(rows[i][0], rows[i][1], chi[i][0], chi[i][1], acc);
        }
        long[] tHat = Gf128.reduce(acc);
        boolean[] choices = new boolean[outputs];
        long[][] outRows = new long[outputs][];
        for (int i = 0; i < outputs; i++) {
            choices[i] = ((x[i >>> 3] >>> (i & 7)) & 1) == 1;
            outRows[i] = rows[i];
        }
        java.util.Arrays.fill(x, (byte) 0);
        return new ReceiverResult(new Request(nonce, u, xHi, xLo, tHat[0], tHat[1]), choices, outRows, ext);
    }

    /**
     * Sender side: recomputes its rows and runs the consistency check.
     *
     * @throws ProtocolAbort blaming {@code peer} when the check fails
     */
    public static SenderResult send(ExtensionSenderSeeds seeds, byte[] context, int outputs, Request request, int peer) {
        int m = paddedRows(outputs);
        int colBytes = m / 8;
        byte[] ext = OtHash.hash(OtHash.TAG_EXT_SESSION, context, request.nonce());
        byte[][] q = new byte[KAPPA][];
        for (int j = 0; j < KAPPA; j++) {
            q[j] = OtHash.prg(seeds.chosenSeed(j), ext, j, colBytes);
            if (seeds.deltaBit(j)) OtHash.xorInto(q[j], request.columns()[j]);
        }
        long[][] rows = transpose(q, m);
        long[][] chi = challenges(ext, request.columns(), m);
        long[] acc = new long[4];
        for (int i = 0; i < m; i++) Gf128.mulAccumulate(rows[i][0], rows[i][1], chi[i][0], chi[i][1], acc);
        long[] qHat = Gf128.reduce(acc);
        long dHi = seeds.deltaHi();
        long dLo = seeds.deltaLo();
        long[] xd = Gf128.multiply(request.xHatHi(), request.xHatLo(), dHi, dLo);
        long diff = (qHat[0] ^ request.tHatHi() ^ xd[0]) | (qHat[1] ^ request.tHatLo() ^ xd[1]);
        if (diff != 0) throw ProtocolAbort.blameBurningPairwiseSetup(peer, "OT extension consistency check failed");
        long[][] outRows = new long[outputs][];
        System.arraycopy(rows, 0, outRows, 0, outputs);
        return new SenderResult(outRows, dHi, dLo, ext);
    }

    /** Row i of the bit matrix whose column j is cols[j]; bit j of the row is the coefficient of x^j. */
    private static long[][] transpose(byte[][] cols, int m) {
        long[][] rows = new long[m][2];
        for (int j = 0; j < KAPPA; j++) {
            byte[] c = cols[j];
            int word = j < 64 ? 1 : 0;
            long bit = 1L << (j & 63);
            for (int i = 0; i < m; i++) {
                if (((c[i >>> 3] >>> (i & 7)) & 1) != 0) rows[i][word] |= bit;
            }
        }
        return rows;
    }

    /** The check's random GF(2^128) coefficients, by Fiat-Shamir over the receiver's columns. */
    private static long[][] challenges(byte[] ext, byte[][] u, int m) {
        java.security.MessageDigest md = OtHash.sha256();
        md.update(OtHash.TAG_KOS_CHALLENGE);
        md.update(ext);
        for (byte[] c : u) md.update(c);
        byte[] seed = md.digest();
        byte[] stream = OtHash.prg(seed, ext, -1, m * 16);
        long[][] chi = new long[m][2];
        for (int i = 0; i < m; i++) {
            chi[i][0] = ExtensionSenderSeeds.bytesToLong(stream, 16 * i + 8);
            chi[i][1] = ExtensionSenderSeeds.bytesToLong(stream, 16 * i);
        }
        return chi;
    }
}
