package io.mpcsystem.account;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Every /api request needs an API key: {@code Authorization: Bearer <key>} or {@code X-API-Key}. */
public class ApiKeyFilter {
    static final String KEY_ID = "mpc.api-key-id";
    private final ApiKeys keys;

    public ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext ctx) {
        if (!ctx.getUriInfo().getPath().startsWith("/api/")) return Optional.empty();
        String auth = ctx.getHeaderString("Authorization");
        String presented = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : ctx.getHeaderString("X-API-Key");
        if (presented == null || presented.isBlank()) return Optional.of(ProblemMapper.problem(401, "an API key is required (Authorization: Bearer <key>)"));
        Optional<String> id = keys.authenticate(presented.strip());
        if (id.isEmpty()) return Optional.of(ProblemMapper.problem(401, "the API key is not valid"));
        ctx.setProperty(KEY_ID, id.get());
        return Optional.empty();
    }
}
