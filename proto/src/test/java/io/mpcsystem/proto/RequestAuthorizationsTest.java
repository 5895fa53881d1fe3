package io.mpcsystem.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mpcsystem.proto.coordinator.v1.RequestAuthorization;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.proto.coordinator.v1.SignedAuthorization;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestAuthorizationsTest {
    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    private static RequestAuthorization sign(String keyId) {
        return RequestAuthorizations.validFor(RequestAuthorization.newBuilder().setKind(SessionKind.SIGN).setProtocol("dkls23").setKeyId(keyId)
                .setMessage(ByteString.copyFrom(new byte[32])).setAccountId("acc").setRequestId("req-1"), NOW, Duration.ofSeconds(60)).build();
    }

    @Test
    void aSignedAuthorizationVerifiesWithThePairedKeyOnly() {
        String[] pair = RequestAuthorizations.newKeyPair();
        String[] other = RequestAuthorizations.newKeyPair();
        SignedAuthorization s = RequestAuthorizations.sign(sign("k1"), RequestAuthorizations.Signer.fromBase64(pair[0]));

        assertThat(RequestAuthorizations.verify(s, RequestAuthorizations.Verifier.fromBase64(pair[1]), NOW).getKeyId()).isEqualTo("k1");
        assertThatThrownBy(() -> RequestAuthorizations.verify(s, RequestAuthorizations.Verifier.fromBase64(other[1]), NOW))
                .hasMessageContaining("not signed by the pinned");
    }

    @Test
    void aTamperedOrExpiredOrMissingAuthorizationIsRefused() {
        String[] pair = RequestAuthorizations.newKeyPair();
        RequestAuthorizations.Verifier v = RequestAuthorizations.Verifier.fromBase64(pair[1]);
        SignedAuthorization s = RequestAuthorizations.sign(sign("k1"), RequestAuthorizations.Signer.fromBase64(pair[0]));
        SignedAuthorization swapped = s.toBuilder().setAuthorization(sign("k2").toByteString()).build();

        assertThatThrownBy(() -> RequestAuthorizations.verify(swapped, v, NOW)).hasMessageContaining("not signed");
        assertThatThrownBy(() -> RequestAuthorizations.verify(s, v, NOW.plusSeconds(60))).hasMessageContaining("expired");
        assertThatThrownBy(() -> RequestAuthorizations.verify(SignedAuthorization.getDefaultInstance(), v, NOW))
                .hasMessageContaining("no authorization");
        SignedAuthorization undated = RequestAuthorizations.sign(sign("k1").toBuilder().clearIssuedAt().build(), RequestAuthorizations.Signer.fromBase64(pair[0]));
        assertThatThrownBy(() -> RequestAuthorizations.verify(undated, v, NOW)).hasMessageContaining("no issue time");
        assertThatThrownBy(() -> RequestAuthorizations.verify(s, v, NOW.minus(RequestAuthorizations.CLOCK_SKEW).minusSeconds(1)))
                .hasMessageContaining("issued in the future");
        assertThat(RequestAuthorizations.verify(s, v, NOW.minus(RequestAuthorizations.CLOCK_SKEW)).getKeyId()).as("within the skew").isEqualTo("k1");
    }

    @Test
    void keysInTheWrongFormAreRefusedWithoutEchoingThem() {
        String[] pair = RequestAuthorizations.newKeyPair();
        assertThatThrownBy(() -> RequestAuthorizations.Signer.fromBase64(pair[1])).hasMessageContaining("PKCS#8").hasMessageNotContaining(pair[1]);
        assertThatThrownBy(() -> RequestAuthorizations.Verifier.fromBase64(pair[0])).hasMessageContaining("X.509").hasMessageNotContaining(pair[0]);
        assertThatThrownBy(() -> RequestAuthorizations.Verifier.fromBase64("%%")).hasMessageContaining("base64");
        assertThat(RequestAuthorizations.Signer.fromBase64(pair[0]).toString()).doesNotContain(pair[0]).contains("redacted");
    }
}
