package io.mpcsystem.account;

/**
 * A refusal or failure that the client should see as a problem response. Its detail must be
 * safe to show: never a key, never an internal stack trace, never a failure text from the
 * coordinator or the parties. Such text goes into {@link #internalDetail()}, which only the log
 * and the audit trail see; the client gets a correlation id to quote instead.
 */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final String correlationId;
    private final String internalDetail;

    public ApiProblem(int status, String title, String detail) {
        this(status, title, detail, null, null);
    }

    private ApiProblem(int status, String title, String detail, String correlationId, String internalDetail) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.correlationId = correlationId;
        this.internalDetail = internalDetail;
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad Request", detail);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "Unauthorized", detail);
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "Forbidden", detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", detail);
    }

    public static ApiProblem tooManyRequests(String detail) {
        return new ApiProblem(429, "Too Many Requests", detail);
    }

    public static ApiProblem badGateway(String detail) {
        return new ApiProblem(502, "Bad Gateway", detail);
    }

    /**
     * A 502 whose client-facing {@code detail} is a fixed text; {@code internalDetail} (what the
     * coordinator or parties reported) stays in the log and the audit under {@code correlationId}.
     */
    public static ApiProblem badGateway(String detail, String correlationId, String internalDetail) {
        return new ApiProblem(502, "Bad Gateway", detail, correlationId, internalDetail);
    }

    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(503, "Service Unavailable", detail);
    }

    public static ApiProblem gatewayTimeout(String detail, String correlationId) {
        return new ApiProblem(504, "Gateway Timeout", detail, correlationId, null);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The id (a session id where there is one) under which the service logged what went wrong; may be null. */
    public String correlationId() {
        return correlationId;
    }

    /** What the log and the audit trail record: the internal detail if there is one, else the client's detail. */
    public String auditDetail() {
        return internalDetail != null ? internalDetail : getMessage();
    }

    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage(), correlationId);
    }
}
