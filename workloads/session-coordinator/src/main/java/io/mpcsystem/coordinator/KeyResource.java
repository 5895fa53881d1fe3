package io.mpcsystem.coordinator;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /api/v1/keys?after=ID&limit=N}: the ids of the keys the parties hold, in order, a
 * page at a time. The operator walks it to refresh every key's shares; public keys and share
 * holders stay behind {@code /api/v1/sessions}.
 */
@Path("/api/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
public class KeyResource {
    static final int MAX_LIMIT = 500;
    private final KeyRegistry keys;
    private final CallerRights rights;

    public KeyResource(KeyRegistry keys, CallerRights rights) {
        this.keys = keys;
        this.rights = rights;
    }

    /** A page: {@code next} is the {@code after} of the following page, null after the last one. */
    public record Page(List<String> keyIds, String next) {
    }

    @GET
    public Page list(@HeaderParam("Authorization") String authorization, @QueryParam("after") String after,
                     @QueryParam("limit") @DefaultValue("100") String limitText) {
        rights.requireToListKeys(authorization);
        int limit;
        try {
            limit = Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) throw CoordinatorException.invalid("limit must be between 1 and " + MAX_LIMIT);
        if (after != null && after.length() > 200) throw CoordinatorException.invalid("after must be a key id");
        List<String> ids = keys.ids(after, limit);
        return new Page(ids, ids.size() == limit ? ids.get(ids.size() - 1) : null);
    }
}
