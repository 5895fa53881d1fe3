package io.mpcsystem.account;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses every /api request without a valid API key, before routing, so even unknown /api
 * paths reveal nothing to an unauthenticated caller.
 */
public class ApiKeyFilter {
    private static final String BEARER = "bearer ";

    private final ApiKeyAuthenticator authenticator;
    private final Caller caller;

    ApiKeyFilter(ApiKeyAuthenticator authenticator, Caller caller) {
        this.authenticator = authenticator;
        this.caller = caller;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("/api") || path.startsWith("/api/"))) return Optional.empty();
        String key = presentedKey(request);
        if (key == null) return Optional.of(refuse("an API key is required (Authorization: Bearer <key> or X-API-Key)"));
        Optional<UUID> id = authenticator.authenticate(key);
        if (id.isEmpty()) return Optional.of(refuse("the API key is not valid"));
        caller.authenticatedAs(id.get());
        return Optional.empty();
    }

    private static String presentedKey(ContainerRequestContext request) {
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String key = authorization.substring(BEARER.length()).trim();
            if (!key.isEmpty()) return key;
        }
        String header = request.getHeaderString("X-API-Key");
        return header == null || header.isBlank() ? null : header.trim();
    }

    private static Response refuse(String detail) {
        return Response.fromResponse(ProblemMappers.respond(ApiProblem.unauthorized(detail).toProblem()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }
}
