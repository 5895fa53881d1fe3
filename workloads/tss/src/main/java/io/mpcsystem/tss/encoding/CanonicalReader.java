package io.mpcsystem.tss.encoding;

/**
 * Reads the encoding written by {@link CanonicalWriter}, strictly: wrong version or type,
 * truncation, oversize lengths and trailing bytes are all errors.
 */
public final class CanonicalReader {
    private final byte[] in;
    private int pos;

    private CanonicalReader(byte[] in) {
        this.in = in;
    }

    /** Starts reading {@code bytes}, which must hold an object of type {@code typeTag}. */
    public static CanonicalReader of(byte[] bytes, int typeTag, String what) {
        if (bytes == null) throw new MalformedEncodingException(what + ": no bytes");
        CanonicalReader r = new CanonicalReader(bytes);
        int version = r.u8(what);
        if (version != CanonicalWriter.FORMAT_VERSION) throw new MalformedEncodingException(what + ": unsupported format version " + version);
        int tag = r.u16(what);
        if (tag != typeTag) throw new MalformedEncodingException(what + ": wrong type tag 0x" + Integer.toHexString(tag));
        return r;
    }

    public int u8(String field) {
        need(1, field);
        return in[pos++] & 0xFF;
    }

    public int u16(String field) {
        need(2, field);
        int v = ((in[pos] & 0xFF) << 8) | (in[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    public int u32(String field) {
        need(4, field);
        int v = ((in[pos] & 0xFF) << 24) | ((in[pos + 1] & 0xFF) << 16) | ((in[pos + 2] & 0xFF) << 8) | (in[pos + 3] & 0xFF);
        pos += 4;
        if (v < 0) throw new MalformedEncodingException(field + ": length or count too large");
        return v;
    }

    /** A count of repeated items, each at least {@code minItemSize} bytes, bounded by {@code max}. */
    public int count(String field, int max, int minItemSize) {
        int n = u32(field);
        if (n > max) throw new MalformedEncodingException(field + ": " + n + " items, at most " + max + " allowed");
        if ((long) n * minItemSize > remaining()) throw new MalformedEncodingException(field + ": truncated");
        return n;
    }

    public byte[] fixed(int length, String field) {
        need(length, field);
        byte[] out = java.util.Arrays.copyOfRange(in, pos, pos + length);
        pos += length;
        return out;
    }

    public byte[] bytes(int maxLength, String field) {
        int len = u32(field);
        if (len > maxLength) throw new MalformedEncodingException(field + ": " + len + " bytes, at most " + maxLength + " allowed");
        return fixed(len, field);
    }

    public int remaining() {
        return in.length - pos;
    }

    /** Ends reading; fails if bytes are left over. */
    public void finish(String what) {
        if (pos != in.length) throw new MalformedEncodingException(what + ": " + (in.length - pos) + " trailing bytes");
    }

    private void need(int n, String field) {
        if (n < 0 || in.length - pos < n) throw new MalformedEncodingException(field + ": truncated");
    }
}
