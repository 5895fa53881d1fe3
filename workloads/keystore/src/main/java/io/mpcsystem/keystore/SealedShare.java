package io.mpcsystem.keystore;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key share as it rests on disk or in a database: the share encrypted under a random data key
 * (AES-256-GCM), and the data key wrapped under one version of the party's key-encryption key.
 * Rotation re-wraps the data key only; the encrypted share never changes.
 *
 * <p>Layout (big-endian): {@code "MPCS" | u8 format=1 | u16 len | key id | u16 len | party id |
 * u32 kek version | 12-byte wrap nonce | 48-byte wrapped data key | 12-byte nonce | u32 len |
 * encrypted share with tag}.
 */
public record SealedShare(String keyId, String partyId, int kekVersion, byte[] wrapNonce, byte[] wrappedDataKey,
                          byte[] nonce, byte[] ciphertext) {
    private static final byte[] MAGIC = {'M', 'P', 'C', 'S'};
    private static final int FORMAT = 1;
    static final int NONCE_BYTES = 12;
    static final int WRAPPED_KEY_BYTES = 32 + 16;
    private static final int MAX_CIPHERTEXT = 16 * 1024 * 1024;

    public SealedShare {
        ShareIds.check("key id", keyId);
        ShareIds.check("party id", partyId);
        if (kekVersion < 1) throw new IllegalArgumentException("kek version must be >= 1");
        if (wrapNonce.length != NONCE_BYTES || nonce.length != NONCE_BYTES || wrappedDataKey.length != WRAPPED_KEY_BYTES) {
            throw new IllegalArgumentException("bad sealed share field sizes");
        }
        wrapNonce = wrapNonce.clone();
        wrappedDataKey = wrappedDataKey.clone();
        nonce = nonce.clone();
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public byte[] wrappedDataKey() {
        return wrappedDataKey.clone();
    }

    @Override
    public byte[] wrapNonce() {
        return wrapNonce.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ciphertext.length + 200);
        out.writeBytes(MAGIC);
        out.write(FORMAT);
        writeString(out, keyId);
        writeString(out, partyId);
        out.writeBytes(ByteBuffer.allocate(4).putInt(kekVersion).array());
        out.writeBytes(wrapNonce);
        out.writeBytes(wrappedDataKey);
        out.writeBytes(nonce);
        out.writeBytes(ByteBuffer.allocate(4).putInt(ciphertext.length).array());
        out.writeBytes(ciphertext);
        return out.toByteArray();
    }

    /** @throws CorruptShareException when the bytes are not a sealed share of a known format */
    public static SealedShare decode(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte[] magic = new byte[4];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) throw new CorruptShareException("not a sealed key share (bad magic)");
            int format = in.get() & 0xFF;
            if (format != FORMAT) throw new CorruptShareException("unsupported sealed share format " + format);
            String keyId = readString(in);
            String partyId = readString(in);
            int version = in.getInt();
            byte[] wrapNonce = new byte[NONCE_BYTES];
            in.get(wrapNonce);
            byte[] wrapped = new byte[WRAPPED_KEY_BYTES];
            in.get(wrapped);
            byte[] nonce = new byte[NONCE_BYTES];
            in.get(nonce);
            int len = in.getInt();
            if (len < 16 || len > MAX_CIPHERTEXT || len != in.remaining()) throw new CorruptShareException("sealed share has a bad length");
            byte[] ct = new byte[len];
            in.get(ct);
            return new SealedShare(keyId, partyId, version, wrapNonce, wrapped, nonce, ct);
        } catch (java.nio.BufferUnderflowException e) {
            throw new CorruptShareException("sealed share is truncated");
        } catch (IllegalArgumentException e) {
            throw new CorruptShareException("sealed share header is invalid: " + e.getMessage());
        }
    }

    /** Associated data of the data-key wrap: binds key id, party id and KEK version. */
    byte[] wrapAssociatedData() {
        return associatedData("wrap", kekVersion);
    }

    /** Associated data of the share encryption: binds key id and party id (not the KEK version, which rotation changes). */
    byte[] payloadAssociatedData() {
        return associatedData("share", 0);
    }

    private byte[] associatedData(String purpose, int version) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeString(out, "mpc-system/keyshare/v1/" + purpose);
        writeString(out, keyId);
        writeString(out, partyId);
        out.writeBytes(ByteBuffer.allocate(4).putInt(version).array());
        return out.toByteArray();
    }

    SealedShare withWrap(int version, byte[] newWrapNonce, byte[] newWrapped) {
        return new SealedShare(keyId, partyId, version, newWrapNonce, newWrapped, nonce, ciphertext);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >>> 8);
        out.write(b.length);
        out.writeBytes(b);
    }

    private static String readString(ByteBuffer in) {
        int len = in.getShort() & 0xFFFF;
        if (len > in.remaining()) throw new CorruptShareException("sealed share is truncated");
        byte[] b = new byte[len];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedShare s && Arrays.equals(s.encode(), encode());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "SealedShare[key " + keyId + ", party " + partyId + ", kek version " + kekVersion + "]";
    }
}
