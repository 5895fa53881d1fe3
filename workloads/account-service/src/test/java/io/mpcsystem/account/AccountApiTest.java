package io.mpcsystem.account;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.sql.ResultSet;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InProcessCoordinator.class)
class AccountApiTest {
    private static final String KEY = "test-key-0123456789abcdef0123456789abcdef";
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RND = new SecureRandom();

    @Inject
    AgroalDataSource db;

    private static io.restassured.specification.RequestSpecification api() {
        return given().header("Authorization", "Bearer " + KEY).contentType("application/json");
    }

    private static ValidatableResponse problem(ValidatableResponse r, int status, String detail) {
        return r.statusCode(status).contentType("application/problem+json").body("status", equalTo(status)).body("detail", containsString(detail));
    }

    @Test
    void eip55AddressOfAKnownKey() {
        // the public key of private key 1 is the generator
        byte[] g = io.mpcsystem.tss.group.Secp256k1.INSTANCE.generator().encode();
        assertThat(EthereumAddress.of(g)).isEqualTo("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
    }

    @Test
    void secp256k1AccountSignsHashesThatVerifyAndRecover() throws Exception {
        var created = api().body("{\"curve\":\"secp256k1\",\"label\":\"treasury\"}").post("/api/v1/accounts").then().statusCode(201)
                .body("protocol", equalTo("dkls23")).body("address", matchesPattern("0x[0-9a-fA-F]{40}")).extract();
        String id = created.path("id");
        byte[] pk = HEX.parseHex(created.<String>path("publicKey"));
        assertThat(created.<String>path("address")).isEqualTo(EthereumAddress.of(pk));
        api().get("/api/v1/accounts/" + id).then().statusCode(200).body("publicKey", equalTo(HEX.formatHex(pk))).body("label", equalTo("treasury"));

        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        var sig = api().body("{\"hash\":\"" + HEX.formatHex(hash) + "\"}").post("/api/v1/accounts/" + id + "/signatures").then().statusCode(200).extract();
        BigInteger r = new BigInteger(1, HEX.parseHex(sig.<String>path("r")));
        BigInteger s = new BigInteger(1, HEX.parseHex(sig.<String>path("s")));
        int v = sig.<Integer>path("v");
        var domain = io.mpcsystem.tss.group.Secp256k1.DOMAIN;
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(domain.getCurve().decodePoint(pk), domain));
        assertThat(verifier.verifySignature(hash, r, s)).isTrue();
        assertThat(v).isIn(27, 28);
        // recover the public key from (r, s, v) as Ethereum does
        byte[] rEnc = new byte[33];
        rEnc[0] = (byte) (v == 28 ? 3 : 2);
        System.arraycopy(HEX.parseHex(sig.<String>path("r")), 0, rEnc, 1, 32);
        ECPoint bigR = domain.getCurve().decodePoint(rEnc);
        BigInteger n = domain.getN();
        BigInteger rInv = r.modInverse(n);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(bigR, s.multiply(rInv).mod(n), domain.getG(), new BigInteger(1, hash).negate().multiply(rInv).mod(n));
        assertThat(q.normalize().getEncoded(true)).isEqualTo(pk);

        try (var c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT outcome, api_key_id, session_id FROM signature_audit WHERE account_id = '" + id + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("SIGNED");
            assertThat(rs.getString(2)).isEqualTo("bootstrap");
            assertThat(rs.getString(3)).isEqualTo(sig.<String>path("sessionId"));
        }
    }

    @Test
    void ed25519AccountSignsMessagesThatTheJdkVerifies() throws Exception {
        String id = api().body("{\"curve\":\"ed25519\"}").post("/api/v1/accounts").then().statusCode(201).body("protocol", equalTo("frost-ed25519"))
                .extract().path("id");
        byte[] pk = HEX.parseHex(api().get("/api/v1/accounts/" + id).then().extract().<String>path("publicKey"));
        byte[] msg = "pay 10 to bob".getBytes();
        String sigHex = api().body("{\"message\":\"" + HEX.formatHex(msg) + "\"}").post("/api/v1/accounts/" + id + "/signatures").then().statusCode(200)
                .extract().path("signature");
        var spki = HEX.parseHex("302a300506032b6570032100" + HEX.formatHex(pk));
        java.security.Signature v = java.security.Signature.getInstance("Ed25519");
        v.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
        v.update(msg);
        assertThat(v.verify(HEX.parseHex(sigHex))).isTrue();
    }

    @Test
    void everyEndpointRefusesBadInput() {
        problem(given().contentType("application/json").body("{}").post("/api/v1/accounts").then(), 401, "API key is required");
        problem(given().header("Authorization", "Bearer wrong-key-wrong-key-wrong-key-wrong-key").get("/api/v1/accounts/x").then(), 401, "not valid");
        problem(given().header("X-API-Key", "short").get("/api/v1/accounts/x").then(), 401, "not valid");
        problem(api().body("{\"curve\":\"rsa\"}").post("/api/v1/accounts").then(), 400, "curve");
        problem(api().body("not json").post("/api/v1/accounts").then(), 400, "JSON");
        problem(api().get("/api/v1/accounts/00000000-0000-0000-0000-000000000000").then(), 404, "no account");
        problem(api().get("/api/v1/accounts/../etc").then(), 404, "");
        String secp = api().body("{}").post("/api/v1/accounts").then().statusCode(201).extract().path("id");
        String ed = api().body("{\"curve\":\"ed25519\"}").post("/api/v1/accounts").then().statusCode(201).extract().path("id");
        problem(api().body("{}").post("/api/v1/accounts/" + secp + "/signatures").then(), 400, "hash is required");
        problem(api().body("{\"hash\":\"00ff\"}").post("/api/v1/accounts/" + secp + "/signatures").then(), 400, "64 hex");
        problem(api().body("{\"hash\":\"" + "zz".repeat(32) + "\"}").post("/api/v1/accounts/" + secp + "/signatures").then(), 400, "64 hex");
        problem(api().body("{\"message\":\"00\"}").post("/api/v1/accounts/" + secp + "/signatures").then(), 400, "hash");
        problem(api().body("{\"message\":\"abc\"}").post("/api/v1/accounts/" + ed + "/signatures").then(), 400, "hex");
        problem(api().body("{\"hash\":\"" + "00".repeat(32) + "\"}").post("/api/v1/accounts/" + ed + "/signatures").then(), 400, "message");
        problem(api().body("{\"hash\":\"" + "00".repeat(32) + "\"}").post("/api/v1/accounts/00000000-0000-0000-0000-000000000000/signatures").then(), 404,
                "no account");
    }

    @Test
    void aFailedKeyGenerationLeavesNoAccount() throws Exception {
        long before = count("accounts");
        InProcessCoordinator.FAIL_NEXT.set(true);
        problem(api().body("{}").post("/api/v1/accounts").then(), 502, "key generation failed");
        assertThat(count("accounts")).isEqualTo(before);
    }

    private long count(String table) throws Exception {
        try (var c = db.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void healthAndMetrics() {
        given().get("/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/metrics").then().statusCode(200).body(containsString("http_server_requests"));
    }
}
