package io.mpcsystem.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mpcsystem.proto.RequestAuthorizations;
import io.mpcsystem.proto.coordinator.v1.RequestAuthorization;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.proto.coordinator.v1.SignedAuthorization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RequestAuthorizerTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void withoutASigningKeyTheServiceDoesNotStart() {
        for (String missing : new String[] {null, "", "   "}) {
            assertThatThrownBy(() -> new RequestAuthorizer(missing, Duration.ofSeconds(120), CLOCK))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("MPC_REQUEST_SIGNING_KEY")
                    .hasMessageContaining("is not set");
        }
    }

    @Test
    void theTtlIsPositiveAndWithinWhatThePartiesAccept() {
        String key = RequestAuthorizations.newKeyPair()[0];
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMinutes(10).plusSeconds(1)}) {
            assertThatThrownBy(() -> new RequestAuthorizer(key, bad, CLOCK)).hasMessageContaining("MPC_REQUEST_AUTHORIZATION_TTL");
        }
        new RequestAuthorizer(key, Duration.ofMinutes(10), CLOCK);
    }

    @Test
    void aMalformedKeyIsRefusedWithoutBeingQuoted() {
        String publicKeyByMistake = RequestAuthorizations.newKeyPair()[1];
        String notBase64 = "not*base64*secret-material";
        for (String bad : new String[] {publicKeyByMistake, notBase64}) {
            assertThatThrownBy(() -> new RequestAuthorizer(bad, Duration.ofSeconds(120), CLOCK))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("MPC_REQUEST_SIGNING_KEY")
                    .hasNoCause()
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad).doesNotContain("secret-material"));
        }
    }

    @Test
    void authorizationsVerifyWithThePairedPublicKeyAndExpireAfterTheTtl() {
        String[] pair = RequestAuthorizations.newKeyPair();
        RequestAuthorizer authorizer = new RequestAuthorizer(pair[0], Duration.ofSeconds(30), CLOCK);
        assertThat(authorizer.toString()).doesNotContain(pair[0]);
        UUID account = UUID.randomUUID();
        SignedAuthorization signed = authorizer.sign("dkls23", "key-1", ByteString.copyFrom(new byte[32]), account);
        var verifier = RequestAuthorizations.Verifier.fromBase64(pair[1]);

        RequestAuthorization a = RequestAuthorizations.verify(signed, verifier, NOW.plusSeconds(29));
        assertThat(a.getKind()).isEqualTo(SessionKind.SIGN);
        assertThat(a.getAccountId()).isEqualTo(account.toString());
        assertThat(a.getExpiresAt().getSeconds()).isEqualTo(NOW.plusSeconds(30).getEpochSecond());
        assertThatThrownBy(() -> RequestAuthorizations.verify(signed, verifier, NOW.plusSeconds(30)))
                .hasMessageContaining("expired");
        // another key's verifier does not accept it
        var other = RequestAuthorizations.Verifier.fromBase64(RequestAuthorizations.newKeyPair()[1]);
        assertThatThrownBy(() -> RequestAuthorizations.verify(signed, other, NOW)).hasMessageContaining("not signed");

        RequestAuthorization keygen = RequestAuthorizations.verify(authorizer.keygen("frost-ed25519", 2, 3, "key-7"), verifier, NOW);
        assertThat(keygen.getKind()).isEqualTo(SessionKind.KEYGEN);
        assertThat(keygen.getThreshold()).isEqualTo(2);
        assertThat(keygen.getParties()).isEqualTo(3);
        assertThat(keygen.getKeyId()).as("the key id the parties will make the key under").isEqualTo("key-7");
        assertThat(keygen.getRequestId()).isNotEqualTo(a.getRequestId());
    }
}
