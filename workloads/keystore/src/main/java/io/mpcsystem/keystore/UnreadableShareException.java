package io.mpcsystem.keystore;

/**
 * A sealed share that this party's keys cannot open: its KEK version is missing from the key
 * ring, or the KEK is wrong. The share itself is left untouched.
 */
public final class UnreadableShareException extends CorruptShareException {
    private static final long serialVersionUID = 1L;

    public UnreadableShareException(String message) {
        super(message);
    }
}
