package io.mpcsystem.coordinator;

/** A refused request: what kind of refusal (mapped to gRPC and HTTP codes) and why, never with secrets. */
public final class CoordinatorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind { INVALID, NOT_FOUND, CONFLICT, DENIED, UNAUTHENTICATED }

    private final Kind kind;

    public CoordinatorException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public static CoordinatorException invalid(String message) {
        return new CoordinatorException(Kind.INVALID, message);
    }

    public static CoordinatorException notFound(String message) {
        return new CoordinatorException(Kind.NOT_FOUND, message);
    }

    public static CoordinatorException conflict(String message) {
        return new CoordinatorException(Kind.CONFLICT, message);
    }

    public static CoordinatorException denied(String message) {
        return new CoordinatorException(Kind.DENIED, message);
    }

    public static CoordinatorException unauthenticated(String message) {
        return new CoordinatorException(Kind.UNAUTHENTICATED, message);
    }

    public Kind kind() {
        return kind;
    }
}
