package io.mpcsystem.tss.dkls23.mult;

import io.mpcsystem.tss.group.Secp256k1;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Turns an OT row into the four scalar pads of one multiplication instance (two inputs, two
 * check masks). A 256-bit value reduced modulo the secp256k1 order is within 2^-127 of uniform.
 */
final class Pads {
    static final int WIDTH = 4;
    private static final BigInteger Q = Secp256k1.INSTANCE.order();

    private Pads() {
    }

    static BigInteger[] derive(byte[] extensionSession, int index, long hi, long lo) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 missing from the JDK", e);
        }
        byte[] head = new byte[4 + 16];
        head[0] = (byte) (index >>> 24);
        head[1] = (byte) (index >>> 16);
        head[2] = (byte) (index >>> 8);
        head[3] = (byte) index;
        for (int b = 0; b < 8; b++) {
            head[4 + b] = (byte) (hi >>> (56 - 8 * b));
            head[12 + b] = (byte) (lo >>> (56 - 8 * b));
        }
        BigInteger[] out = new BigInteger[WIDTH];
        for (int half = 0; half < 2; half++) {
            md.update((byte) (0x10 + half));
            md.update(extensionSession);
            md.update(head);
            byte[] h = md.digest();
            out[2 * half] = new BigInteger(1, java.util.Arrays.copyOfRange(h, 0, 32)).mod(Q);
            out[2 * half + 1] = new BigInteger(1, java.util.Arrays.copyOfRange(h, 32, 64)).mod(Q);
        }
        return out;
    }
}
