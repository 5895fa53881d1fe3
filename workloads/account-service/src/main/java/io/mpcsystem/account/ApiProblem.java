package io.mpcsystem.account;

/**
 * A refusal or failure that the client should see as a problem response. Its detail must be
 * safe to show: never a key, never an internal stack trace.
 */
public final class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;

    public ApiProblem(int status, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad Request", detail);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "Unauthorized", detail);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", detail);
    }

    public static ApiProblem badGateway(String detail) {
        return new ApiProblem(502, "Bad Gateway", detail);
    }

    public static ApiProblem unavailable(String detail) {
        return new ApiProblem(503, "Service Unavailable", detail);
    }

    public static ApiProblem gatewayTimeout(String detail) {
        return new ApiProblem(504, "Gateway Timeout", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Problem toProblem() {
        return new Problem("about:blank", title, status, getMessage());
    }
}
