package io.mpcsystem.party.runtime;

import io.mpcsystem.keystore.KeyShareStore;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.TreeMap;

/**
 * How many sealed items (key shares and the identity) this party holds under each
 * key-encryption key version. The operator's key rotation waits until every item is under the
 * new version before it moves on to the next party.
 */
@Path("/api/v1/keyshares/status")
public class KeyShareStatusResource {
    @Inject
    PartyRuntime runtime;

    /** The status document. */
    public record Status(String partyId, int currentKekVersion, Map<String, Integer> sealedByKekVersion, boolean allUnderCurrentVersion,
                         int rewrappedAtStart) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response status() {
        return runtime.store().map(this::status).map(s -> Response.ok(s).build())
                .orElse(Response.status(503).type("application/problem+json")
                        .entity(Map.of("title", "party not started", "status", 503, "detail", "the key share store is not open")).build());
    }

    private Status status(KeyShareStore store) {
        Map<String, Integer> counts = new TreeMap<>();
        store.countByKekVersion().forEach((v, n) -> counts.put(String.valueOf(v), n));
        boolean all = counts.keySet().stream().allMatch(v -> v.equals(String.valueOf(store.currentKekVersion())));
        return new Status(runtime.partyId(), store.currentKekVersion(), counts, all, runtime.rewrappedAtStart());
    }
}
