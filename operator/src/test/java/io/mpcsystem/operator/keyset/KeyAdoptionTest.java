package io.mpcsystem.operator.keyset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.mpcsystem.operator.DesiredStateTestAccess;
import io.mpcsystem.operator.crd.MpcCluster;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A KeySet without status adopts the keys that exist, and never overwrites a Secret that holds a key. */
class KeyAdoptionTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private FakeVault vault;
    private VaultKeyBackend backend;
    private final Map<Integer, Secret> secrets = new HashMap<>();
    private MpcCluster cluster;

    @BeforeEach
    void start() throws Exception {
        vault = new FakeVault("secret", "kubernetes", "r", "jwt");
        backend = new VaultKeyBackend(new VaultSettings(vault.address(), "secret", "mpc-system", Optional.empty(), new VaultSettings.Token(vault.issueToken())));
        cluster = DesiredStateTestAccess.sample();
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private Optional<KeyAdoption.Found> find() {
        return KeyAdoption.find("mpc", "keys", 3, secrets::get, backend);
    }

    private PartyKey store(int party, int version) {
        PartyKey k = PartyKey.generate(RANDOM);
        backend.putIfAbsent(new KeyRef("mpc", "keys", party, version), k);
        return k;
    }

    @Test
    void nothingStoredMeansNothingToAdopt() {
        assertThat(find()).isEmpty();
    }

    @Test
    void theSecretsVersionIsAdoptedWhenTheBackendAgrees() {
        for (int i = 1; i <= 3; i++) {
            store(i, 1);
            secrets.put(i, PartyKekSecret.of(cluster, i, store(i, 2), 2, null, null));
        }
        KeyAdoption.Found f = find().orElseThrow();
        assertThat(f.current()).isEqualTo(2);
        assertThat(f.highest()).isEqualTo(2);
        var status = KeyAdoption.adopted(new io.mpcsystem.operator.crd.KeySetStatus(), "keys", 3, f, Instant.now());
        assertThat(status.currentVersion).isEqualTo(2);
        assertThat(status.podKeyHashes()).containsEntry(1, KeyVersionHash.of("keys", 2)).hasSize(3);
        assertThat(status.lastRotationResult).startsWith("Adopted: version 2");
    }

    @Test
    void aKeyOnlyInTheSecretIsRestoredIntoTheBackend() {
        PartyKey only = PartyKey.generate(RANDOM);
        secrets.put(1, PartyKekSecret.of(cluster, 1, only, 4, null, null));
        assertThat(find()).hasValueSatisfying(f -> assertThat(f.current()).isEqualTo(4));
        assertThat(backend.read(new KeyRef("mpc", "keys", 1, 4))).hasValueSatisfying(k -> assertThat(k.sameAs(only)).isTrue());
    }

    @Test
    void aSecretDisagreeingWithTheBackendStopsEverything() {
        store(1, 1);
        PartyKey other = PartyKey.generate(RANDOM);
        secrets.put(1, PartyKekSecret.of(cluster, 1, other, 1, null, null));
        assertThatThrownBy(this::find).isInstanceOf(KeyBackend.BackendException.class).hasMessageContaining("holds a different key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(other.hex()));
    }

    @Test
    void aSecretHoldingSomethingElseIsRefusedNotReplaced() {
        Secret odd = PartyKekSecret.of(cluster, 1, PartyKey.generate(RANDOM), 1, null, null);
        odd.getData().put("current", java.util.Base64.getEncoder().encodeToString("not-a-key".getBytes()));
        secrets.put(1, odd);
        assertThatThrownBy(this::find).isInstanceOf(KeyBackend.BackendException.class).hasMessageContaining("not a key");
    }

    @Test
    void secretsNamingDifferentVersionsAreRefused() {
        secrets.put(1, PartyKekSecret.of(cluster, 1, store(1, 1), 1, null, null));
        secrets.put(2, PartyKekSecret.of(cluster, 2, store(2, 2), 2, null, null));
        assertThatThrownBy(this::find).isInstanceOf(KeyBackend.BackendException.class).hasMessageContaining("different current versions");
    }

    @Test
    void withoutSecretsTheNewestCompleteVersionNotRetiredIsAdopted() {
        for (int i = 1; i <= 3; i++) {
            store(i, 1);
            store(i, 2);
            backend.retire(new KeyRef("mpc", "keys", i, 1), Instant.now());
        }
        store(1, 3); // a rotation that never got past writing keys
        assertThat(find()).hasValueSatisfying(f -> {
            assertThat(f.current()).isEqualTo(2);
            assertThat(f.highest()).as("a later rotation never reuses version 3").isEqualTo(3);
        });
    }

    @Test
    void aSecretHoldingAnotherKeyIsNeverOverwritten() {
        PartyKey held = PartyKey.generate(RANDOM);
        Secret existing = PartyKekSecret.of(cluster, 1, held, 1, null, null);
        PartyKey fresh = PartyKey.generate(RANDOM);
        assertThatThrownBy(() -> KeySetReconciler.refuseOverwrite(existing, fresh, null)).isInstanceOf(KeyBackend.BackendException.class)
                .hasMessageContaining("refusing to overwrite");
        // a rotation writes the held key as previous: allowed; so is rewriting the same current key
        KeySetReconciler.refuseOverwrite(existing, fresh, held);
        KeySetReconciler.refuseOverwrite(existing, held, null);
        KeySetReconciler.refuseOverwrite(null, fresh, null);
    }
}
