package io.mpcsystem.account;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** API key management; every call needs scope admin. */
@Path("/api/v1/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeyResource {
    private final ApiKeyService service;
    private final Caller caller;

    ApiKeyResource(ApiKeyService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    /** The new key is in this answer and nowhere else, ever. */
    @POST
    public Response create(CreateApiKeyRequest body) {
        ApiKeyView created = service.create(caller.principal(), body);
        return Response.created(URI.create("/api/v1/api-keys/" + created.id()))
                .header("Cache-Control", "no-store")
                .entity(created).build();
    }

    @GET
    public List<ApiKeyView> list() {
        return service.list(caller.principal());
    }

    @DELETE
    @Path("/{id}")
    public Response revoke(@PathParam("id") String id) {
        service.revoke(caller.principal(), id);
        return Response.noContent().build();
    }
}
