package io.mpcsystem.tss.dkls23.ot;

import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.encoding.MalformedEncodingException;
import java.util.Arrays;

/**
 * The OT-extension sender's long-term setup with one peer: its secret correlation Δ (the choice
 * bits of the base OTs, where it acted as base-OT receiver) and the seed it chose in each.
 */
public final class ExtensionSenderSeeds {
    private final byte[] delta;
    private final byte[][] chosen;

    ExtensionSenderSeeds(byte[] delta, byte[][] chosen) {
        if (delta.length != KosExtension.KAPPA / 8 || chosen.length != KosExtension.KAPPA) throw new IllegalArgumentException("bad seed sizes");
        this.delta = delta;
        this.chosen = chosen;
    }

    boolean deltaBit(int j) {
        return ((delta[j >>> 3] >>> (j & 7)) & 1) == 1;
    }

    /** Δ as a GF(2^128) element: bit j of Δ is the coefficient of x^j. */
    long deltaLo() {
        return bytesToLong(delta, 0);
    }

    long deltaHi() {
        return bytesToLong(delta, 8);
    }

    byte[] chosenSeed(int j) {
        return chosen[j];
    }

    static long bytesToLong(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (b[off + i] & 0xFFL);
        return v;
    }

    public void writeTo(CanonicalWriter w) {
        w.fixed(delta, KosExtension.KAPPA / 8);
        for (byte[] s : chosen) w.fixed(s, 32);
    }

    public static ExtensionSenderSeeds readFrom(CanonicalReader r) {
        byte[] d = r.fixed(KosExtension.KAPPA / 8, "ot sender correlation");
        boolean zero = true;
        for (byte b : d) zero &= b == 0;
        if (zero) throw new MalformedEncodingException("ot sender correlation is zero");
        byte[][] s = new byte[KosExtension.KAPPA][];
        for (int j = 0; j < KosExtension.KAPPA; j++) s[j] = r.fixed(32, "ot sender seed");
        return new ExtensionSenderSeeds(d, s);
    }

    public void wipe() {
        Arrays.fill(delta, (byte) 0);
        for (byte[] s : chosen) Arrays.fill(s, (byte) 0);
    }

    @Override
    public String toString() {
        return "ExtensionSenderSeeds[redacted]";
    }
}
