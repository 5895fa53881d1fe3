package io.mpcsystem.account;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * The public HTTP API; authentication happened in {@link ApiKeyFilter} before any of this runs.
 * The service checks scopes and tenants: read to read, sign to create accounts and sign; only
 * the caller's tenant's accounts exist for it.
 */
@Path("/api/v1/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountResource {
    private final AccountService service;
    private final Caller caller;

    AccountResource(AccountService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    public Response create(CreateAccountRequest body) {
        Account account = service.create(caller.principal(), body);
        return Response.created(URI.create("/api/v1/accounts/" + account.id())).entity(AccountView.of(account)).build();
    }

    @GET
    @Path("/{id}")
    public AccountView get(@PathParam("id") String id) {
        return AccountView.of(service.find(caller.principal(), id));
    }

    @POST
    @Path("/{id}/signatures")
    public SignatureView sign(@PathParam("id") String id, SignRequest body) {
        IssuedSignature issued = service.sign(caller.principal(), id, body);
        return SignatureView.of(issued.curve(), issued.signature(), issued.sessionId());
    }
}
