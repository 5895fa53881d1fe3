package io.mpcsystem.operator.keyset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultKeyBackendTest {
    private static final String ROLE = "mpc-operator";
    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.service-account-jwt.signature";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyRef ref = new KeyRef("custody", "keys", 1, 1);
    private final String dataPath = "/v1/secret/data/mpc-system/custody/keys/party-1/v1";
    private FakeVault vault;

    @BeforeEach
    void start() throws Exception {
        vault = new FakeVault("secret", "kubernetes", ROLE, JWT);
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private VaultKeyBackend kubernetes(String role) {
        return new VaultKeyBackend(new VaultSettings(vault.address(), "secret", "mpc-system", Optional.empty(),
                new VaultSettings.Kubernetes(role, "kubernetes", () -> JWT)));
    }

    private VaultKeyBackend withToken(String token) {
        return new VaultKeyBackend(new VaultSettings(vault.address(), "secret", "mpc-system", Optional.empty(),
                new VaultSettings.Token(token)));
    }

    @Test
    void putIfAbsentStoresOnceAndReadReturnsTheStoredKey() {
        VaultKeyBackend backend = kubernetes(ROLE);
        PartyKey first = PartyKey.generate(RANDOM);
        PartyKey second = PartyKey.generate(RANDOM);

        assertThat(backend.read(ref)).isEmpty();
        assertThat(backend.putIfAbsent(ref, first).sameAs(first)).isTrue();
        assertThat(backend.read(ref)).hasValueSatisfying(k -> assertThat(k.sameAs(first)).isTrue());

        PartyKey kept = backend.putIfAbsent(ref, second);
        assertThat(kept.sameAs(first)).isTrue();
        assertThat(kept.sameAs(second)).isFalse();
        assertThat(backend.read(ref)).hasValueSatisfying(k -> assertThat(k.sameAs(first)).isTrue());

        List<FakeVault.Version> versions = vault.versions("mpc-system/custody/keys/party-1/v1");
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).data()).containsEntry("key", first.hex()).containsEntry("state", "active");

        List<FakeVault.Request> kv = vault.requests().stream().filter(r -> !r.path().contains("/auth/")).toList();
        assertThat(kv).isNotEmpty().allSatisfy(r -> assertThat(r.path()).isEqualTo(dataPath));
        assertThat(kv).anySatisfy(r -> {
            assertThat(r.method()).isIn("POST", "PUT");
            assertThat(r.body()).contains("\"cas\":0");
        });
    }

    @Test
    void aConcurrentWriterThatStoredFirstWins() {
        VaultKeyBackend backend = kubernetes(ROLE);
        PartyKey winner = PartyKey.generate(RANDOM);
        PartyKey loser = PartyKey.generate(RANDOM);
        vault.beforeNextWrite("mpc-system/custody/keys/party-1/v1",
                () -> vault.store("mpc-system/custody/keys/party-1/v1", winner.hex()));

        assertThat(backend.putIfAbsent(ref, loser).sameAs(winner)).isTrue();
        assertThat(backend.read(ref)).hasValueSatisfying(k -> assertThat(k.sameAs(winner)).isTrue());
        assertThat(vault.versions("mpc-system/custody/keys/party-1/v1")).hasSize(1);
    }

    @Test
    void retireWritesANewVersionAndRetiredAtReadsIt() {
        VaultKeyBackend backend = kubernetes(ROLE);
        PartyKey key = PartyKey.generate(RANDOM);
        backend.putIfAbsent(ref, key);
        assertThat(backend.retiredAt(ref)).isEmpty();

        Instant at = Instant.parse("2025-03-01T10:15:30Z");
        backend.retire(ref, at);
        backend.retire(ref, at.plus(1, ChronoUnit.HOURS));

        assertThat(backend.retiredAt(ref)).contains(at);
        assertThat(backend.read(ref)).hasValueSatisfying(k -> assertThat(k.sameAs(key)).isTrue());
        List<FakeVault.Version> versions = vault.versions("mpc-system/custody/keys/party-1/v1");
        assertThat(versions).hasSize(2);
        assertThat(versions.get(0).data()).containsEntry("state", "active");
        assertThat(versions.get(1).data())
                .containsEntry("key", key.hex())
                .containsEntry("state", "retired")
                .containsEntry("retiredAt", "2025-03-01T10:15:30Z");
    }

    @Test
    void retiringAMissingKeyFails() {
        VaultKeyBackend backend = kubernetes(ROLE);
        assertThatThrownBy(() -> backend.retire(ref, Instant.now()))
                .isInstanceOf(KeyBackend.BackendException.class)
                .hasMessageContaining(ref.path());
    }

    @Test
    void destroyRemovesEveryVersion() {
        VaultKeyBackend backend = kubernetes(ROLE);
        backend.putIfAbsent(ref, PartyKey.generate(RANDOM));
        backend.retire(ref, Instant.now());

        backend.destroy(ref);

        assertThat(backend.read(ref)).isEmpty();
        assertThat(backend.retiredAt(ref)).isEmpty();
        assertThat(vault.versions("mpc-system/custody/keys/party-1/v1"))
                .hasSize(2)
                .allSatisfy(v -> {
                    assertThat(v.destroyed()).isTrue();
                    assertThat(v.data()).isEmpty();
                });
        assertThat(vault.requests()).anySatisfy(r -> {
            assertThat(r.path()).isEqualTo("/v1/secret/destroy/mpc-system/custody/keys/party-1/v1");
            assertThat(r.body().replace(" ", "")).contains("\"versions\":[1,2]");
        });

        int before = vault.requests().size();
        backend.destroy(ref);
        assertThat(vault.requests().subList(before, vault.requests().size()))
                .noneSatisfy(r -> assertThat(r.path()).contains("/destroy/"));
    }

    @Test
    void kubernetesLoginWithAWrongRoleFailsWithoutLeakingTheJwt() {
        VaultKeyBackend backend = kubernetes("not-a-role");
        assertThatThrownBy(() -> backend.read(ref))
                .isInstanceOf(KeyBackend.BackendException.class)
                .hasMessageContaining("login")
                .hasMessageContaining("HTTP 400")
                .satisfies(e -> assertNoSecretIn(e, JWT));
        assertThat(vault.requests()).anySatisfy(r -> {
            assertThat(r.path()).isEqualTo("/v1/auth/kubernetes/login");
            assertThat(r.body()).contains("not-a-role").contains(JWT);
        });
    }

    @Test
    void anExpiredTokenLeadsToOneFreshLogin() {
        VaultKeyBackend backend = kubernetes(ROLE);
        PartyKey key = PartyKey.generate(RANDOM);
        backend.putIfAbsent(ref, key);
        long loginsBefore = logins();
        String oldToken = lastToken();

        vault.expireAllTokens();

        assertThat(backend.read(ref)).hasValueSatisfying(k -> assertThat(k.sameAs(key)).isTrue());
        assertThat(logins()).isEqualTo(loginsBefore + 1);
        assertThat(lastToken()).isNotEqualTo(oldToken);
    }

    @Test
    void aTokenExpiringJustBeforeAWriteLeadsToAFreshLoginAndTheWriteLands() {
        VaultKeyBackend backend = kubernetes(ROLE);
        PartyKey key = PartyKey.generate(RANDOM);
        vault.beforeNextWrite("mpc-system/custody/keys/party-1/v1", vault::expireAllTokens);

        assertThat(backend.putIfAbsent(ref, key).sameAs(key)).isTrue();

        assertThat(logins()).isEqualTo(2);
        assertThat(vault.versions("mpc-system/custody/keys/party-1/v1")).singleElement()
                .satisfies(v -> assertThat(v.data()).containsEntry("key", key.hex()));
    }

    @Test
    void aRefusedTokenFailsWithoutLoggingIn() {
        VaultKeyBackend backend = withToken("hvs.not-issued");
        assertThatThrownBy(() -> backend.read(ref))
                .isInstanceOf(KeyBackend.BackendException.class)
                .hasMessageContaining(ref.path())
                .hasMessageContaining("HTTP 403")
                .satisfies(e -> assertNoSecretIn(e, "hvs.not-issued"));
        assertThat(logins()).isZero();
    }

    @Test
    void tokenAuthSendsTheToken() {
        String token = vault.issueToken();
        VaultKeyBackend backend = withToken(token);
        PartyKey key = PartyKey.generate(RANDOM);

        assertThat(backend.putIfAbsent(ref, key).sameAs(key)).isTrue();
        assertThat(backend.read(ref)).hasValueSatisfying(k -> assertThat(k.sameAs(key)).isTrue());
        assertThat(vault.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.token()).isEqualTo(token));
        assertThat(logins()).isZero();
    }

    @Test
    void errorsAndDescriptionsNeverCarryTheKeyOrTheToken() {
        String token = vault.issueToken();
        VaultKeyBackend backend = withToken(token);
        PartyKey key = PartyKey.generate(RANDOM);
        backend.putIfAbsent(ref, key);

        assertThat(backend.describe())
                .isEqualTo("vault " + vault.address() + " (kv-v2 mount secret, prefix mpc-system)")
                .doesNotContain(token, key.hex());
        assertThat(backend.toString()).doesNotContain(token, key.hex());

        vault.expireAllTokens();
        for (Runnable call : List.<Runnable>of(
                () -> backend.read(ref),
                () -> backend.putIfAbsent(ref, key),
                () -> backend.retire(ref, Instant.now()),
                () -> backend.destroy(ref))) {
            assertThatThrownBy(call::run)
                    .isInstanceOf(KeyBackend.BackendException.class)
                    .hasMessageContaining(ref.path())
                    .hasMessageContaining("HTTP 403")
                    .satisfies(e -> assertNoSecretIn(e, token, key.hex()));
        }
    }

    @Test
    void anUnreachableVaultNamesTheKeyAndNoHttpStatus() {
        String address = vault.address();
        vault.close();
        VaultKeyBackend backend = new VaultKeyBackend(new VaultSettings(address, "secret", "mpc-system",
                Optional.empty(), new VaultSettings.Token("hvs.some-token")));
        assertThatThrownBy(() -> backend.read(ref))
                .isInstanceOf(KeyBackend.BackendException.class)
                .hasMessageContaining(ref.path())
                .hasMessageContaining("no HTTP answer")
                .satisfies(e -> assertNoSecretIn(e, "hvs.some-token"));
    }

    @Test
    void aMountWithSeveralSegmentsKeepsDataAfterTheWholeMount() {
        FakeVault nested;
        try {
            nested = new FakeVault("team/kv", "kubernetes", ROLE, JWT);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try (nested) {
            VaultKeyBackend backend = new VaultKeyBackend(new VaultSettings(nested.address(), "team/kv", "mpc",
                    Optional.empty(), new VaultSettings.Kubernetes(ROLE, "kubernetes", () -> JWT)));
            PartyKey key = PartyKey.generate(RANDOM);
            backend.putIfAbsent(ref, key);
            assertThat(backend.read(ref)).hasValueSatisfying(k -> assertThat(k.sameAs(key)).isTrue());
            assertThat(nested.requests()).anySatisfy(r ->
                    assertThat(r.path()).isEqualTo("/v1/team/kv/data/mpc/custody/keys/party-1/v1"));
        }
    }

    @Test
    void kubernetesLoginGoesBelowAuthWhateverFormTheMountIsGivenIn() throws Exception {
        try (FakeVault custom = new FakeVault("secret", "k8s-prod", ROLE, JWT)) {
            for (String mount : List.of("k8s-prod", "/auth/k8s-prod/")) {
                VaultKeyBackend backend = new VaultKeyBackend(new VaultSettings(custom.address(), "secret", "mpc-system",
                        Optional.empty(), new VaultSettings.Kubernetes(ROLE, mount, () -> JWT)));
                assertThat(backend.read(ref)).isEmpty();
            }
            assertThat(custom.requests().stream().filter(r -> r.path().endsWith("/login")))
                    .hasSize(2)
                    .allSatisfy(r -> assertThat(r.path()).isEqualTo("/v1/auth/k8s-prod/login"));
        }
        assertThat(VaultKeyBackend.authMountPath(new VaultSettings.Kubernetes(ROLE, null, () -> JWT)))
                .isEqualTo("auth/kubernetes");
    }

    private long logins() {
        return vault.requests().stream().filter(r -> r.path().equals("/v1/auth/kubernetes/login")).count();
    }

    private String lastToken() {
        List<FakeVault.Request> rs = vault.requests();
        return rs.get(rs.size() - 1).token();
    }

    @Test
    void versionsListsWhatIsStoredForOneParty() {
        VaultKeyBackend backend = kubernetes(ROLE);
        assertThat(backend.versions("custody", "keys", 1)).isEmpty();
        backend.putIfAbsent(new KeyRef("custody", "keys", 1, 1), PartyKey.generate(RANDOM));
        backend.putIfAbsent(new KeyRef("custody", "keys", 1, 3), PartyKey.generate(RANDOM));
        backend.putIfAbsent(new KeyRef("custody", "keys", 2, 2), PartyKey.generate(RANDOM));
        assertThat(backend.versions("custody", "keys", 1)).containsExactly(1, 3);
        assertThat(backend.versions("custody", "keys", 2)).containsExactly(2);
        assertThat(backend.versions("custody", "other", 1)).isEmpty();
    }

    private static void assertNoSecretIn(Throwable e, String... secrets) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (String secret : secrets) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
                assertThat(t.toString()).doesNotContain(secret);
            }
            if (t.getCause() == t) break;
        }
    }
}
