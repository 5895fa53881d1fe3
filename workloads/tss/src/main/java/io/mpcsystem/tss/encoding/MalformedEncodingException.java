package io.mpcsystem.tss.encoding;

/** Bytes that are not a valid canonical encoding. The message says what is wrong, never what the bytes held. */
public final class MalformedEncodingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedEncodingException(String message) {
        super(message);
    }
}
