package io.mpcsystem.tss.dkls23.ot;

import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import java.util.Arrays;

/**
 * The OT-extension receiver's long-term setup with one peer: both seeds of each of the
 * {@link KosExtension#KAPPA} base OTs, where it acted as base-OT sender. Secret.
 */
public final class ExtensionReceiverSeeds {
    private final byte[][] seed0;
    private final byte[][] seed1;

    ExtensionReceiverSeeds(byte[][] seed0, byte[][] seed1) {
        if (seed0.length != KosExtension.KAPPA || seed1.length != KosExtension.KAPPA) throw new IllegalArgumentException("need " + KosExtension.KAPPA + " seed pairs");
        this.seed0 = seed0;
        this.seed1 = seed1;
    }

    byte[] seed0(int j) {
        return seed0[j];
    }

    byte[] seed1(int j) {
        return seed1[j];
    }

    public void writeTo(CanonicalWriter w) {
        for (int j = 0; j < KosExtension.KAPPA; j++) {
            w.fixed(seed0[j], 32).fixed(seed1[j], 32);
        }
    }

    public static ExtensionReceiverSeeds readFrom(CanonicalReader r) {
        byte[][] s0 = new byte[KosExtension.KAPPA][];
        byte[][] s1 = new byte[KosExtension.KAPPA][];
        for (int j = 0; j < KosExtension.KAPPA; j++) {
            s0[j] = r.fixed(32, "ot receiver seed");
            s1[j] = r.fixed(32, "ot receiver seed");
        }
        return new ExtensionReceiverSeeds(s0, s1);
    }

    public void wipe() {
        for (byte[] s : seed0) Arrays.fill(s, (byte) 0);
        for (byte[] s : seed1) Arrays.fill(s, (byte) 0);
    }

    @Override
    public String toString() {
        return "ExtensionReceiverSeeds[redacted]";
    }
}
