package io.mpcsystem.coordinator;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every refusal as an RFC 9457 problem document; never a stack trace. */
public class ProblemMapper {
    static Response problem(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return Response.status(status).type("application/problem+json").entity(body).build();
    }

    @ServerExceptionMapper
    public Response refused(CoordinatorException e) {
        return switch (e.kind()) {
            case INVALID -> problem(400, "Bad Request", e.getMessage());
            case NOT_FOUND -> problem(404, "Not Found", e.getMessage());
            case CONFLICT -> problem(409, "Conflict", e.getMessage());
            case DENIED -> problem(403, "Forbidden", e.getMessage());
            case UNAUTHENTICATED -> problem(401, "Unauthorized", e.getMessage());
        };
    }

    @ServerExceptionMapper
    public Response unavailable(StoreUnavailable e) {
        return problem(503, "Service Unavailable", e.getMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String detail = status == 400 ? "the request body is not valid JSON for this endpoint" : e.getMessage();
        return problem(status, e.getResponse().getStatusInfo().getReasonPhrase(), detail);
    }
}
