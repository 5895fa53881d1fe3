package io.mpcsystem.account;

/** A refusal with its HTTP status; rendered as an RFC 9457 problem document. */
public final class Problem extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public Problem(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public static Problem badRequest(String detail) {
        return new Problem(400, detail);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, detail);
    }

    public int status() {
        return status;
    }
}
