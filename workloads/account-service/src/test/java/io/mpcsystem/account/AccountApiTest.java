package io.mpcsystem.account;

import static io.mpcsystem.account.TestApi.authorized;
import static io.mpcsystem.account.TestApi.createAccount;
import static io.mpcsystem.account.TestApi.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The happy paths against genuine threshold keys and signatures from the test coordinator. */
@QuarkusTest
@WithTestResource(MpcTestResources.class)
class AccountApiTest {
    private static final HexFormat HEX = HexFormat.of();

    @Inject
    AgroalDataSource db;

    @Test
    void secp256k1AccountHasTheEthereumAddressOfItsKeyAndSignsVerifiably() throws Exception {
        Map<String, Object> account = createAccount("secp256k1");
        assertThat(account).containsEntry("curve", "secp256k1").containsEntry("protocol", "dkls23");
        byte[] publicKey = HEX.parseHex((String) account.get("publicKey"));
        assertThat(publicKey).hasSize(33);
        assertThat((String) account.get("keyId")).isNotBlank();
        assertThat(account.get("address")).isEqualTo(EthereumAddress.ofPublicKey(publicKey).value());
        assertThat((String) account.get("address")).matches("0x[0-9a-fA-F]{40}");

        String id = (String) account.get("id");
        authorized().get("/api/v1/accounts/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("publicKey", equalTo(account.get("publicKey")))
                .body("address", equalTo(account.get("address")));

        byte[] hash = MessageDigest.getInstance("SHA-256").digest("pay 1 ETH to bob".getBytes());
        Map<String, Object> sig = sign(id, Map.of("hash", HEX.formatHex(hash))).statusCode(200).extract().jsonPath().getMap("");
        BigInteger r = new BigInteger((String) sig.get("r"), 16);
        BigInteger s = new BigInteger((String) sig.get("s"), 16);
        int v = (Integer) sig.get("v");
        assertThat((String) sig.get("r")).hasSize(64);
        assertThat((String) sig.get("s")).hasSize(64);
        assertThat(sig.get("signature")).isEqualTo(sig.get("r") + (String) sig.get("s"));
        assertThat(v).isIn(27, 28);
        assertThat(EcdsaRecovery.verifies(publicKey, hash, r, s)).as("BouncyCastle ECDSASigner").isTrue();
        assertThat(EcdsaRecovery.recover(hash, r, s, v - 27)).isEqualTo(publicKey);

        assertThat(auditOutcomes(id)).containsExactly("KEYGEN COMPLETED", "SIGN COMPLETED");
        assertThat(auditDigestOfLastSign(id)).isEqualTo(hash);
    }

    @Test
    void ed25519AccountSignsMessagesTheJdkVerifies() throws Exception {
        Map<String, Object> account = createAccount("ed25519");
        assertThat(account).containsEntry("protocol", "frost-ed25519").doesNotContainKey("address");
        byte[] publicKey = HEX.parseHex((String) account.get("publicKey"));
        assertThat(publicKey).hasSize(32);

        byte[] message = "an arbitrary message of any length, not a hash".getBytes();
        Map<String, Object> sig = sign((String) account.get("id"), Map.of("message", HEX.formatHex(message)))
                .statusCode(200).extract().jsonPath().getMap("");
        assertThat(sig).containsOnlyKeys("sessionId", "signature");
        byte[] signature = HEX.parseHex((String) sig.get("signature"));

        java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
        jdk.initVerify(ed25519PublicKey(publicKey));
        jdk.update(message);
        assertThat(jdk.verify(signature)).as("JDK Ed25519 verification").isTrue();

        assertThat(auditOutcomes((String) account.get("id"))).containsExactly("KEYGEN COMPLETED", "SIGN COMPLETED");
        assertThat(auditDigestOfLastSign((String) account.get("id"))).isEqualTo(MessageDigest.getInstance("SHA-256").digest(message));
    }

    @Test
    void defaultCurveIsSecp256k1AndLabelIsKept() {
        Map<String, Object> account = authorized().body(Map.of("label", "treasury")).post("/api/v1/accounts")
                .then().statusCode(201).extract().jsonPath().getMap("");
        assertThat(account).containsEntry("curve", "secp256k1").containsEntry("label", "treasury");
    }

    @Test
    void apiKeysAreStoredOnlyAsHashes() throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT key_hash FROM account.api_keys WHERE label = 'bootstrap'");
             ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getBytes(1)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(MpcTestResources.API_KEY.getBytes()));
        }
    }

    static PublicKey ed25519PublicKey(byte[] raw) throws Exception {
        byte[] x509 = new byte[44];
        System.arraycopy(HEX.parseHex("302a300506032b6570032100"), 0, x509, 0, 12);
        System.arraycopy(raw, 0, x509, 12, 32);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
    }

    private java.util.List<String> auditOutcomes(String accountId) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT operation, outcome, session_id, api_key_id, finished_at "
                     + "FROM account.audit_log WHERE account_ref = ? ORDER BY id")) {
            ps.setString(1, accountId);
            java.util.List<String> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getString("session_id")).isNotBlank();
                    assertThat(rs.getObject("api_key_id")).isNotNull();
                    assertThat(rs.getTimestamp("finished_at")).isNotNull();
                    out.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
            return out;
        }
    }

    private byte[] auditDigestOfLastSign(String accountId) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT digest FROM account.audit_log WHERE account_ref = ? AND operation = 'SIGN' ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }
}
