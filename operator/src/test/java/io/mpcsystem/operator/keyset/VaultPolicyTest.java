package io.mpcsystem.operator.keyset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only Vaults the operator's installer allowed, over https, ever see the operator's credentials. */
class VaultPolicyTest {
    private static final VaultPolicy POLICY = VaultPolicy.fromEnvironment(Map.of("MPC_VAULT_ADDRESSES",
            "https://vault.vault.svc:8200, https://VAULT.example.com"));

    @Test
    void listedHttpsAddressesPassInAnyEquivalentSpelling() {
        assertThat(POLICY.check("https://vault.vault.svc:8200")).isEqualTo("https://vault.vault.svc:8200");
        assertThat(POLICY.check("https://vault.vault.svc:8200/")).isNotNull();
        assertThat(POLICY.check("https://vault.example.com:443")).isNotNull();
        assertThat(POLICY.tokenFile()).isEqualTo(VaultPolicy.DEFAULT_TOKEN_FILE);
    }

    @Test
    void everythingElseIsRefused() {
        assertThatThrownBy(() -> POLICY.check("http://vault.vault.svc:8200")).hasMessageContaining("must use https");
        assertThatThrownBy(() -> POLICY.check("https://vault.vault.svc:8201")).hasMessageContaining("not in the operator's allow-list");
        assertThatThrownBy(() -> POLICY.check("https://attacker.example")).hasMessageContaining("not in the operator's allow-list");
        assertThatThrownBy(() -> POLICY.check("https://user@vault.vault.svc:8200")).hasMessageContaining("nothing else");
        assertThatThrownBy(() -> POLICY.check("https://vault.vault.svc:8200/v1/x")).hasMessageContaining("nothing else");
        assertThatThrownBy(() -> VaultPolicy.fromEnvironment(Map.of()).check("https://vault.vault.svc:8200")).hasMessageContaining("allows no Vault address");
        // an http allow-list entry is itself refused: the environment cannot turn https off
        assertThatThrownBy(() -> VaultPolicy.fromEnvironment(Map.of("MPC_VAULT_ADDRESSES", "http://vault:8200"))).hasMessageContaining("must use https");
        assertThat(VaultPolicy.fromEnvironment(Map.of("MPC_VAULT_TOKEN_FILE", "/t")).tokenFile()).isEqualTo(Path.of("/t"));
    }
}
