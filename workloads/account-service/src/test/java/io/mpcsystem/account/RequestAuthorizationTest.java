package io.mpcsystem.account;

import static io.mpcsystem.account.TestApi.createAccount;
import static io.mpcsystem.account.TestApi.sign;
import static org.assertj.core.api.Assertions.assertThat;

import io.mpcsystem.proto.coordinator.v1.RequestAuthorization;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every KEYGEN and SIGN request carries an authorization signed with MPC_REQUEST_SIGNING_KEY.
 * The test coordinator checks it as the parties do (signature by the paired public key, unexpired,
 * unused request id, naming exactly the request) and refuses the request otherwise.
 */
@QuarkusTest
@WithTestResource(MpcTestResources.class)
class RequestAuthorizationTest {
    @InjectTestCoordinator
    TestCoordinator coordinator;

    @Test
    void keygenIsAuthorizedForItsProtocolThresholdPartyCountAndKeyId() {
        Instant before = Instant.now();
        Map<String, Object> account = createAccount("secp256k1");
        RequestAuthorization a = coordinator.lastAuthorization(SessionKind.KEYGEN);
        assertThat(a.getProtocol()).isEqualTo(account.get("protocol")).isEqualTo("dkls23");
        assertThat(a.getThreshold()).isEqualTo(2);
        assertThat(a.getParties()).isEqualTo(3);
        // the key id is chosen here and signed: the parties make the key under no other, and it is the account's key
        assertThat(a.getKeyId()).startsWith("key-").isEqualTo(account.get("keyId"));
        assertThat(a.getMessage().isEmpty()).isTrue();
        assertThat(a.getAccountId()).isEmpty();
        assertFresh(a, before);
    }

    @Test
    void signIsAuthorizedForExactlyTheKeyAccountAndHash() {
        Map<String, Object> account = createAccount("secp256k1");
        String id = (String) account.get("id");
        byte[] hash = HexFormat.of().parseHex("ab".repeat(32));

        Instant before = Instant.now();
        sign(id, Map.of("hash", "0x" + "AB".repeat(32))).statusCode(200);
        RequestAuthorization first = coordinator.lastAuthorization(SessionKind.SIGN);
        assertThat(first.getKind()).isEqualTo(SessionKind.SIGN);
        assertThat(first.getProtocol()).isEqualTo("dkls23");
        assertThat(first.getKeyId()).isEqualTo(account.get("keyId"));
        assertThat(first.getMessage().toByteArray()).isEqualTo(hash);
        assertThat(first.getAccountId()).isEqualTo(id);
        assertThat(first.getThreshold()).isZero();
        assertFresh(first, before);

        // the same hash again is a new request, with its own id
        sign(id, Map.of("hash", "ab".repeat(32))).statusCode(200);
        RequestAuthorization second = coordinator.lastAuthorization(SessionKind.SIGN);
        assertThat(second.getRequestId()).isNotEqualTo(first.getRequestId());
    }

    @Test
    void anEd25519MessageIsAuthorizedByItsBytes() {
        Map<String, Object> account = createAccount("ed25519");
        byte[] message = "a message, not a hash".getBytes();
        sign((String) account.get("id"), Map.of("message", HexFormat.of().formatHex(message))).statusCode(200);
        RequestAuthorization a = coordinator.lastAuthorization(SessionKind.SIGN);
        assertThat(a.getProtocol()).isEqualTo("frost-ed25519");
        assertThat(a.getMessage().toByteArray()).isEqualTo(message);
        assertThat(a.getAccountId()).isEqualTo(account.get("id"));
    }

    private static void assertFresh(RequestAuthorization a, Instant before) {
        assertThat(UUID.fromString(a.getRequestId())).isNotNull();
        Instant expires = Instant.ofEpochSecond(a.getExpiresAt().getSeconds(), a.getExpiresAt().getNanos());
        // the default TTL: 120 s from when the request was made
        assertThat(expires).isAfterOrEqualTo(before.plus(Duration.ofSeconds(120)).minusSeconds(1))
                .isBeforeOrEqualTo(Instant.now().plus(Duration.ofSeconds(120)).plusSeconds(1));
    }
}
