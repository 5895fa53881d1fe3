package io.mpcsystem.keystore;

/** Stored bytes that are not a valid sealed share, or that fail authentication. Never carries secret material. */
public class CorruptShareException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptShareException(String message) {
        super(message);
    }
}
