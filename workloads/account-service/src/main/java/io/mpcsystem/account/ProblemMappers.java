package io.mpcsystem.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure into a problem+json body, so no framework page or stack trace reaches a client. */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem e) {
        return respond(e.toProblem());
    }

    private static final String MALFORMED_JSON = "the request body is not valid JSON of the expected shape";

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return respond(new Problem("about:blank", "Bad Request", 400, MALFORMED_JSON));
    }

    // Jackson's mismatch exception has a more specific built-in mapper that would otherwise win.
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return malformedJson(e);
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        String detail = switch (status.getStatusCode()) {
            // the framework wraps body parse errors (e.g. truncated JSON) in a bare 400
            case 400 -> causedByJson(e) ? MALFORMED_JSON : "the request could not be read";
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 406 -> "this API answers application/json only";
            case 415 -> "send the request body as application/json";
            default -> status.getReasonPhrase();
        };
        return respond(new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail));
    }

    private static boolean causedByJson(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException) return true;
        }
        return false;
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        // The client learns nothing about internals; the operator gets the cause in the log.
        LOG.error("unexpected failure while handling a request", e);
        return respond(new Problem("about:blank", "Internal Server Error", 500, "unexpected server error"));
    }
}
