package io.mpcsystem.account;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses every /api request without a valid API key, before routing, so even unknown /api
 * paths reveal nothing to an unauthenticated caller; then applies the rate limit of the key's
 * tenant (a key generation counts for more). Failed authentications have a limit of their own.
 */
public class ApiKeyFilter {
    private static final String BEARER = "bearer ";
    /**
     * The HTTP metrics' uri label of requests refused here: they never reach a route, and their
     * raw paths (anything a caller makes up) would otherwise each become a new time series.
     */
    static final String UNAUTHENTICATED_LABEL = "/api/{unauthenticated}";
    static final String RATE_LIMITED_LABEL = "/api/{rate-limited}";
    // where Quarkus's HTTP metrics read the route template of a request
    private static final String URL_PATH_TEMPLATE = "UrlPathTemplate";

    private final ApiKeyAuthenticator authenticator;
    private final Caller caller;
    private final RequestLimits limiter;

    ApiKeyFilter(ApiKeyAuthenticator authenticator, Caller caller, RequestLimits limiter) {
        this.authenticator = authenticator;
        this.caller = caller;
        this.limiter = limiter;
    }

    /** A response ends the request here; a null item lets it through (the limits may ask Redis, so this does not block). */
    @ServerRequestFilter(preMatching = true)
    public Uni<Response> authenticate(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("/api") || path.startsWith("/api/"))) return Uni.createFrom().nullItem();
        String key = presentedKey(request);
        if (key == null) return refuseUnauthenticated(http, "an API key is required (Authorization: Bearer <key> or X-API-Key)");
        Optional<ApiKeyPrincipal> principal = authenticator.authenticate(key);
        if (principal.isEmpty()) return refuseUnauthenticated(http, "the API key is not valid");
        boolean keygen = "POST".equals(request.getMethod()) && (path.equals("/api/v1/accounts") || path.equals("/api/v1/accounts/"));
        return limiter.forTenant(principal.get().tenant(), keygen).map(wait -> {
            if (wait > 0) return tooMany(http, wait, "this API key's tenant made too many requests");
            caller.authenticatedAs(principal.get());
            return null;
        });
    }

    private Uni<Response> refuseUnauthenticated(HttpServerRequest http, String detail) {
        return limiter.forUnauthenticated().map(wait -> wait > 0 ? tooMany(http, wait, "too many requests without a valid API key") : refuse(http, detail));
    }

    private static Response tooMany(HttpServerRequest http, long waitNanos, String who) {
        label(http, RATE_LIMITED_LABEL);
        long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        return Response.fromResponse(ProblemMappers.respond(ApiProblem.tooManyRequests(who + "; retry after " + seconds + " s").toProblem()))
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .build();
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

    private static Response refuse(HttpServerRequest http, String detail) {
        label(http, UNAUTHENTICATED_LABEL);
        return Response.fromResponse(ProblemMappers.respond(ApiProblem.unauthorized(detail).toProblem()))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    /** Sets the uri label the HTTP metrics record this request under (as routing would for a matched route). */
    private static void label(HttpServerRequest http, String template) {
        Context context = http instanceof HttpServerRequestInternal internal ? internal.context() : Vertx.currentContext();
        if (context != null) context.putLocal(URL_PATH_TEMPLATE, template);
    }
}
