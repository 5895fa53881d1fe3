package io.mpcsystem.tss.frost;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;

/** Replays given byte strings, one per nextBytes call: the RFC's nonce randomness. */
final class FixedBytesRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final Deque<byte[]> queue = new ArrayDeque<>();

    FixedBytesRandom(String... hex) {
        for (String h : hex) queue.add(HexFormat.of().parseHex(h));
    }

    @Override
    public void nextBytes(byte[] bytes) {
        byte[] next = queue.poll();
        if (next == null || next.length != bytes.length) throw new IllegalStateException("unexpected draw of " + bytes.length + " bytes");
        System.arraycopy(next, 0, bytes, 0, bytes.length);
    }

    boolean exhausted() {
        return queue.isEmpty();
    }
}
