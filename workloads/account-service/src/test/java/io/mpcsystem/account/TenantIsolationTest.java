package io.mpcsystem.account;

import static io.mpcsystem.account.TestApi.as;
import static io.mpcsystem.account.TestApi.assertProblem;
import static io.mpcsystem.account.TestApi.authorized;
import static io.mpcsystem.account.TestApi.createKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** API keys belong to a tenant and have scopes; a key sees only its tenant's accounts. */
@QuarkusTest
@WithTestResource(MpcTestResources.class)
class TenantIsolationTest {
    @Inject
    AgroalDataSource db;

    @InjectTestCoordinator
    TestCoordinator coordinator;

    private static String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anotherTenantsAccountIsNotFoundForReadingOrSigning() throws Exception {
        String acme = (String) createKey("acme app", tenant(), "read", "sign").get("key");
        Map<String, Object> account = as(acme).body(Map.of("curve", "secp256k1")).post("/api/v1/accounts")
                .then().statusCode(201).extract().jsonPath().getMap("");
        String id = (String) account.get("id");
        as(acme).get("/api/v1/accounts/" + id).then().statusCode(200);
        as(acme).body(Map.of("hash", "01".repeat(32))).post("/api/v1/accounts/" + id + "/signatures").then().statusCode(200);

        // the bootstrap key (tenant default, every scope) and another tenant's key: as if it did not exist
        String other = (String) createKey("other app", tenant(), "read", "sign").get("key");
        for (var spec : List.of(authorized(), as(other))) {
            assertProblem(spec.get("/api/v1/accounts/" + id).then(), 404, "no account with id " + id);
        }
        int sessions = coordinator.sessionsCreated();
        for (var spec : List.of(authorized(), as(other))) {
            assertProblem(spec.body(Map.of("hash", "02".repeat(32))).post("/api/v1/accounts/" + id + "/signatures").then(),
                    404, "no account with id " + id);
        }
        assertThat(coordinator.sessionsCreated()).as("no session for another tenant's account").isEqualTo(sessions);
        assertThat(count("SELECT count(*) FROM account.audit_log WHERE account_ref = '" + id + "' AND outcome = 'REJECTED'")).isEqualTo(2);

        // the refusal is the same as for an id that exists nowhere
        String unknown = UUID.randomUUID().toString();
        String refusal = as(other).get("/api/v1/accounts/" + unknown).then().statusCode(404).extract().asString();
        assertThat(as(other).get("/api/v1/accounts/" + id).then().extract().asString()).isEqualTo(refusal.replace(unknown, id));
    }

    @Test
    void scopesDecideWhatAKeyMayDo() {
        String t = tenant();
        String signer = (String) createKey("signer", t, "read", "sign").get("key");
        String id = (String) as(signer).body(Map.of("curve", "ed25519")).post("/api/v1/accounts").then().statusCode(201)
                .extract().jsonPath().getString("id");

        String reader = (String) createKey("reader", t, "read").get("key");
        as(reader).get("/api/v1/accounts/" + id).then().statusCode(200);
        assertProblem(as(reader).body(Map.of("message", "00")).post("/api/v1/accounts/" + id + "/signatures").then(), 403, "'sign' scope");
        assertProblem(as(reader).body(Map.of("curve", "ed25519")).post("/api/v1/accounts").then(), 403, "'sign' scope");
        assertProblem(as(reader).get("/api/v1/api-keys").then(), 403, "'admin' scope");

        String signOnly = (String) createKey("sign only", t, "sign").get("key");
        as(signOnly).body(Map.of("message", "00")).post("/api/v1/accounts/" + id + "/signatures").then().statusCode(200);
        assertProblem(as(signOnly).get("/api/v1/accounts/" + id).then(), 403, "'read' scope");
        assertProblem(as(signOnly).body(Map.of("label", "x", "scopes", List.of("read"))).post("/api/v1/api-keys").then(), 403, "'admin' scope");
        assertProblem(as(signOnly).delete("/api/v1/api-keys/" + UUID.randomUUID()).then(), 403, "'admin' scope");
    }

    @Test
    void aNewKeyIsShownOnceAndStoredOnlyAsItsHash() throws Exception {
        String t = tenant();
        Map<String, Object> created = createKey("ci pipeline", t, "sign", "read");
        String key = (String) created.get("key");
        assertThat(key).hasSizeGreaterThanOrEqualTo(BootstrapApiKey.MIN_LENGTH);
        assertThat(created).containsEntry("label", "ci pipeline").containsEntry("tenant", t)
                .containsEntry("scopes", List.of("read", "sign")).containsKeys("id", "createdAt");
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes());

        String listing = authorized().get("/api/v1/api-keys").then().statusCode(200).extract().asString();
        assertThat(listing).contains((String) created.get("id")).doesNotContain(key)
                .doesNotContain(HexFormat.of().formatHex(hash)).doesNotContain(Base64.getEncoder().encodeToString(hash))
                .doesNotContain("\"key\"").doesNotContain(MpcTestResources.API_KEY);
        List<Map<String, Object>> keys = authorized().get("/api/v1/api-keys").then().extract().jsonPath().getList("");
        assertThat(keys).allSatisfy(k -> assertThat(k).doesNotContainKeys("key", "keyHash", "hash"));
        assertThat(keys).anySatisfy(k -> assertThat(k).containsEntry("label", "bootstrap").containsEntry("tenant", "default")
                .containsEntry("scopes", List.of("read", "sign", "admin")));

        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT key_hash, tenant, scopes::text FROM account.api_keys WHERE id = ?")) {
            ps.setObject(1, UUID.fromString((String) created.get("id")));
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes(1)).isEqualTo(hash);
                assertThat(rs.getString(2)).isEqualTo(t);
                assertThat(rs.getString(3)).isEqualTo("{read,sign}");
            }
        }
    }

    @Test
    void aRevokedKeyStopsWorking() {
        Map<String, Object> created = createKey("to revoke", tenant(), "read");
        String key = (String) created.get("key");
        String some = "/api/v1/accounts/" + UUID.randomUUID();
        as(key).get(some).then().statusCode(404);
        authorized().delete("/api/v1/api-keys/" + created.get("id")).then().statusCode(204);
        assertProblem(as(key).get(some).then(), 401, "not valid");
        List<Map<String, Object>> keys = authorized().get("/api/v1/api-keys").then().extract().jsonPath().getList("");
        assertThat(keys).filteredOn(k -> k.get("id").equals(created.get("id"))).singleElement()
                .satisfies(k -> assertThat(k.get("revokedAt")).isNotNull());
        // again: still revoked, still 204; an unknown or malformed id
        authorized().delete("/api/v1/api-keys/" + created.get("id")).then().statusCode(204);
        assertProblem(authorized().delete("/api/v1/api-keys/" + UUID.randomUUID()).then(), 404, "no API key");
        assertProblem(authorized().delete("/api/v1/api-keys/nope").then(), 400, "must be a UUID");
    }

    @Test
    void aTenantsAdminManagesOnlyItsOwnTenantsKeys() {
        String t = tenant();
        String admin = (String) createKey("acme admin", t, "admin").get("key");
        Map<String, Object> own = as(admin).body(Map.of("label", "acme worker", "scopes", List.of("sign"))).post("/api/v1/api-keys")
                .then().statusCode(201).extract().jsonPath().getMap("");
        assertThat(own).containsEntry("tenant", t);
        assertProblem(as(admin).body(Map.of("label", "escalate", "tenant", "default", "scopes", List.of("admin")))
                .post("/api/v1/api-keys").then(), 403, "its own tenant");

        List<Map<String, Object>> listed = as(admin).get("/api/v1/api-keys").then().statusCode(200).extract().jsonPath().getList("");
        assertThat(listed).extracting(k -> k.get("tenant")).containsOnly(t);
        assertThat(listed).hasSize(2);

        String bootstrapId = authorized().get("/api/v1/api-keys").then().extract().jsonPath()
                .getString("find { it.label == 'bootstrap' }.id");
        assertProblem(as(admin).delete("/api/v1/api-keys/" + bootstrapId).then(), 404, "no API key");
        as(admin).delete("/api/v1/api-keys/" + own.get("id")).then().statusCode(204);
        // the bootstrap key still works
        authorized().get("/api/v1/api-keys").then().statusCode(200);
    }

    @Test
    void creationRefusesBadBodies() {
        assertProblem(authorized().body(Map.of("tenant", "a", "scopes", List.of("read"))).post("/api/v1/api-keys").then(), 400, "'label' is required");
        assertProblem(authorized().body(Map.of("label", "x", "tenant", "Not OK!", "scopes", List.of("read"))).post("/api/v1/api-keys").then(),
                400, "field 'tenant'");
        assertProblem(authorized().body(Map.of("label", "x", "tenant", "a", "scopes", List.of())).post("/api/v1/api-keys").then(), 400, "'scopes'");
        assertProblem(authorized().body(Map.of("label", "x", "tenant", "a", "scopes", List.of("root"))).post("/api/v1/api-keys").then(),
                400, "unknown scope");
        assertProblem(authorized().body("{\"label\":").post("/api/v1/api-keys").then(), 400, "not valid JSON");
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
