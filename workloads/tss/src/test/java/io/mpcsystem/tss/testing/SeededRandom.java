package io.mpcsystem.tss.testing;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** A deterministic byte stream (SHA-256 in counter mode over a seed), for reproducibility tests only. */
public final class SeededRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final byte[] seed;
    private long counter;
    private byte[] block = new byte[0];
    private int pos;

    public SeededRandom(long seed) {
        super(new byte[0]);
        this.seed = ByteBuffer.allocate(8).putLong(seed).array();
    }

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (pos == block.length) refill();
            bytes[i] = block[pos++];
        }
    }

    @Override
    public void setSeed(long ignored) {
        // the constructor of SecureRandom calls this; the stream depends on the constructor's seed only
    }

    private void refill() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(seed);
            md.update(ByteBuffer.allocate(8).putLong(counter++).array());
            block = md.digest();
            pos = 0;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
