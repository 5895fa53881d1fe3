package io.mpcsystem.tss.encoding;

import java.io.ByteArrayOutputStream;

/**
 * Writes the canonical binary encoding documented in {@code workloads/tss/ENCODING.md}:
 * a format version byte, a 16-bit type tag, then fields in a fixed order. Fixed-size fields are
 * written raw, variable-size ones with a 32-bit big-endian length prefix. There is exactly one
 * encoding of each value, so encodings can be hashed and compared.
 */
public final class CanonicalWriter {
    public static final int FORMAT_VERSION = 1;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    private CanonicalWriter(int typeTag) {
        out.write(FORMAT_VERSION);
        u16(typeTag);
    }

    public static CanonicalWriter of(int typeTag) {
        return new CanonicalWriter(typeTag);
    }

    public CanonicalWriter u8(int v) {
        if (v < 0 || v > 0xFF) throw new IllegalArgumentException("u8 out of range");
        out.write(v);
        return this;
    }

    public CanonicalWriter u16(int v) {
        if (v < 0 || v > 0xFFFF) throw new IllegalArgumentException("u16 out of range");
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    public CanonicalWriter u32(int v) {
        if (v < 0) throw new IllegalArgumentException("u32 out of range");
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    /** A field whose length both sides know from the type (a scalar, a point, a hash). */
    public CanonicalWriter fixed(byte[] bytes, int expectedLength) {
        if (bytes.length != expectedLength) throw new IllegalArgumentException("fixed field must be " + expectedLength + " bytes");
        out.writeBytes(bytes);
        return this;
    }

    /** A length-prefixed field. */
    public CanonicalWriter bytes(byte[] bytes) {
        u32(bytes.length);
        out.writeBytes(bytes);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
