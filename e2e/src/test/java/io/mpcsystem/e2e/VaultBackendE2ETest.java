package io.mpcsystem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcsystem.operator.keyset.KeyRef;
import io.mpcsystem.operator.keyset.PartyKey;
import io.mpcsystem.operator.keyset.VaultKeyBackend;
import io.mpcsystem.operator.keyset.VaultSettings;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/** The KeySet's Vault backend against a real Vault dev server (KV v2 at secret/), where Docker runs. */
@EnabledIf(value = "io.mpcsystem.e2e.KindOperatorE2ETest#dockerAvailable",
        disabledReason = "the Vault e2e suite needs Docker and Docker Hub: set MPC_E2E_KIND=1 where both are there")
class VaultBackendE2ETest {
    private static final String ROOT_TOKEN = "e2e-root-token";
    private static GenericContainer<?> vault;

    @BeforeAll
    static void start() {
        vault = new GenericContainer<>(DockerImageName.parse("hashicorp/vault:1.17"))
                .withEnv("VAULT_DEV_ROOT_TOKEN_ID", ROOT_TOKEN)
                .withExposedPorts(8200)
                .waitingFor(Wait.forHttp("/v1/sys/health").forStatusCode(200));
        vault.start();
    }

    @AfterAll
    static void stop() {
        if (vault != null) vault.stop();
    }

    @Test
    void keysAreStoredOnceRetiredAndDestroyed() {
        String address = "http://" + vault.getHost() + ":" + vault.getMappedPort(8200);
        VaultKeyBackend backend = new VaultKeyBackend(new VaultSettings(address, "secret", "mpc-system", Optional.empty(),
                new VaultSettings.Token(ROOT_TOKEN)));
        KeyRef ref = new KeyRef("e2e", "keys", 1, 1);
        PartyKey first = PartyKey.generate(new SecureRandom());
        assertThat(backend.putIfAbsent(ref, first).sameAs(first)).isTrue();
        assertThat(backend.putIfAbsent(ref, PartyKey.generate(new SecureRandom())).sameAs(first)).as("an existing key is never replaced").isTrue();
        Instant at = Instant.parse("2026-12-02T00:00:00Z");
        backend.retire(ref, at);
        assertThat(backend.retiredAt(ref)).contains(at);
        assertThat(backend.read(ref).orElseThrow().sameAs(first)).isTrue();
        backend.destroy(ref);
        assertThat(backend.read(ref)).isEmpty();
    }
}
