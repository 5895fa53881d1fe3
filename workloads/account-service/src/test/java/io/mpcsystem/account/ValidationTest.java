package io.mpcsystem.account;

import static io.mpcsystem.account.TestApi.assertProblem;
import static io.mpcsystem.account.TestApi.authorized;
import static io.mpcsystem.account.TestApi.createAccount;
import static io.mpcsystem.account.TestApi.sign;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of bad input at every endpoint: the right 4xx, a problem body naming the cause, no session started. */
@QuarkusTest
@WithTestResource(MpcTestResources.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ValidationTest {
    @Inject
    AgroalDataSource db;

    @InjectTestCoordinator
    TestCoordinator coordinator;

    private String ecdsaAccount;
    private String eddsaAccount;

    // created on first use: the application is only up once a test method runs
    private String ecdsaAccount() {
        if (ecdsaAccount == null) ecdsaAccount = (String) createAccount("secp256k1").get("id");
        return ecdsaAccount;
    }

    private String eddsaAccount() {
        if (eddsaAccount == null) eddsaAccount = (String) createAccount("ed25519").get("id");
        return eddsaAccount;
    }

    @ParameterizedTest(name = "create with {0}")
    @CsvSource(delimiter = '|', value = {
            "'{\"curve\":\"p256\"}'|unknown curve 'p256'; supported: secp256k1, ed25519",
            "'{\"curve\":\"SECP256K1\"}'|unknown curve",
            "'{\"curve\":\"\"}'|unknown curve",
            "'{\"curve\":7}'|unknown curve '7'",
            "'{\"curve\":\"secp256k1\",\"label\":\"a\\u0000b\"}'|control characters",
            "'{\"curve\":'|not valid JSON",
            "'[1,2]'|not valid JSON",
            "'\"secp256k1\"'|not valid JSON"})
    void createRefusesBadBodies(String body, String detail) {
        int before = coordinator.sessionsCreated();
        assertProblem(authorized().body(body).post("/api/v1/accounts").then(), 400, detail);
        assertThat(coordinator.sessionsCreated()).isEqualTo(before);
    }

    @Test
    void createRefusesOverlongLabels() {
        assertProblem(authorized().body(Map.of("label", "x".repeat(129))).post("/api/v1/accounts").then(), 400, "at most 128 characters");
    }

    @Test
    void createRefusesOtherMediaTypes() {
        assertProblem(authorized().contentType(ContentType.TEXT).body("curve=secp256k1").post("/api/v1/accounts").then(),
                415, "application/json");
    }

    @Test
    void getRefusesUnknownAndMalformedIds() {
        String unknown = UUID.randomUUID().toString();
        assertProblem(authorized().get("/api/v1/accounts/" + unknown).then(), 404, "no account with id " + unknown);
        assertProblem(authorized().get("/api/v1/accounts/not-a-uuid").then(), 400, "account id must be a UUID");
    }

    @ParameterizedTest(name = "secp256k1 sign with {0}")
    @CsvSource(delimiter = '|', value = {
            "'{}'|field 'hash' is required",
            "'{\"hash\":null}'|field 'hash' is required",
            "'{\"hash\":\"\"}'|exactly 32 bytes, got 0",
            "'{\"hash\":\"00112233445566778899aabbccddeeff00112233445566778899aabbccddee\"}'|exactly 32 bytes, got 31",
            "'{\"hash\":\"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00\"}'|exactly 32 bytes, got 33",
            "'{\"hash\":\"g0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"}'|must be hex",
            "'{\"hash\":\"0112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"}'|must be hex",
            "'{\"message\":\"00\"}'|send field 'hash', not 'message'",
            "'{\"hash\":'|not valid JSON"})
    void ecdsaSignRefusesBadBodies(String body, String detail) throws Exception {
        int before = coordinator.sessionsCreated();
        assertProblem(authorized().body(body).post("/api/v1/accounts/" + ecdsaAccount() + "/signatures").then(), 400, detail);
        assertThat(coordinator.sessionsCreated()).isEqualTo(before);
    }

    @ParameterizedTest(name = "ed25519 sign with {0}")
    @CsvSource(delimiter = '|', value = {
            "'{}'|field 'message' is required",
            "'{\"message\":\"\"}'|1 to 65536 bytes, got 0",
            "'{\"message\":\"abc\"}'|must be hex",
            "'{\"message\":\"hello\"}'|must be hex",
            "'{\"hash\":\"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"}'|send field 'message', not 'hash'"})
    void eddsaSignRefusesBadBodies(String body, String detail) {
        int before = coordinator.sessionsCreated();
        assertProblem(authorized().body(body).post("/api/v1/accounts/" + eddsaAccount() + "/signatures").then(), 400, detail);
        assertThat(coordinator.sessionsCreated()).isEqualTo(before);
    }

    @Test
    void eddsaMessageLengthIsBounded() {
        assertProblem(sign(eddsaAccount(), Map.of("message", "ab".repeat(65537))), 400, "1 to 65536 bytes, got 65537");
        sign(eddsaAccount(), Map.of("message", "ab".repeat(65536))).statusCode(200);
    }

    @Test
    void signRefusesUnknownAndMalformedAccountsAndMissingBodies() throws Exception {
        String unknown = UUID.randomUUID().toString();
        assertProblem(sign(unknown, Map.of("hash", "00".repeat(32))), 404, "no account with id " + unknown);
        assertProblem(sign("12345", Map.of("hash", "00".repeat(32))), 400, "account id must be a UUID");
        assertProblem(authorized().post("/api/v1/accounts/" + ecdsaAccount() + "/signatures").then(), 400, "request body is required");

        assertThat(rejections(unknown)).containsExactly("SIGN REJECTED no account with id " + unknown);
        assertThat(rejections("12345")).containsExactly("SIGN REJECTED account id must be a UUID");
    }

    @Test
    void refusalsAfterAuthenticationAreAudited() throws Exception {
        assertProblem(sign(ecdsaAccount(), Map.of("hash", "zz")), 400, "must be hex");
        assertThat(rejections(ecdsaAccount())).contains("SIGN REJECTED field 'hash' must be hex (an even number of 0-9, a-f)");
    }

    private List<String> rejections(String accountRef) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT operation, outcome, detail, api_key_id, session_id, finished_at "
                     + "FROM account.audit_log WHERE account_ref = ? AND outcome = 'REJECTED' ORDER BY id")) {
            ps.setString(1, accountRef);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getObject("api_key_id")).isNotNull();
                    assertThat(rs.getString("session_id")).isNull();
                    assertThat(rs.getTimestamp("finished_at")).isNotNull();
                    out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                }
            }
            return out;
        }
    }
}
