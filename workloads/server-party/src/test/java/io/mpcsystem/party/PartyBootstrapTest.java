package io.mpcsystem.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcsystem.keystore.KeyEncryptionKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartyBootstrapTest {
    private static final SecureRandom RND = new SecureRandom();

    private static KeyEncryptionKey kek(int version) {
        byte[] k = new byte[32];
        RND.nextBytes(k);
        return new KeyEncryptionKey(version, k);
    }

    private static Map<String, byte[]> snapshot(Path dir) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) out.put(p.getFileName().toString(), Files.readAllBytes(p));
        }
        return out;
    }

    @Test
    void identityIsCreatedOnceAndSurvivesRestarts(@TempDir Path dir) {
        KeyEncryptionKey k1 = kek(1);
        var first = PartyBootstrap.start(new PartyBootstrap.Settings("server-party-1", dir, k1, Optional.empty()), RND);
        var second = PartyBootstrap.start(new PartyBootstrap.Settings("server-party-1", dir, k1, Optional.empty()), RND);
        assertThat(second.identity().signingKey()).isEqualTo(first.identity().signingKey());
        assertThat(second.identity().encryptionKey()).isEqualTo(first.identity().encryptionKey());
        assertThat(second.rewrapped()).isZero();
    }

    @Test
    void presignaturesDoNotSurviveAStart(@TempDir Path dir) {
        KeyEncryptionKey k1 = kek(1);
        var first = PartyBootstrap.start(new PartyBootstrap.Settings("server-party-1", dir, k1, Optional.empty()), RND);
        first.store().store("key-1", new byte[] {1});
        first.store().store(PartyShares.presignatureId("key-1", "s-1"), new byte[] {2});
        first.store().store(PartyShares.presignatureId("key-2", "s-2"), new byte[] {3});
        // a restart, or a store restored from a backup taken before the presignatures were used
        var again = PartyBootstrap.start(new PartyBootstrap.Settings("server-party-1", dir, k1, Optional.empty()), RND);
        assertThat(again.presignaturesDiscarded()).isEqualTo(2);
        assertThat(again.store().keyIds()).containsExactlyInAnyOrder("key-1", PartyBootstrap.IDENTITY_ID);
    }

    @Test
    void wrongMasterKeyRefusesToStartWithoutTouchingShares(@TempDir Path dir) throws Exception {
        KeyEncryptionKey k1 = kek(1);
        var started = PartyBootstrap.start(new PartyBootstrap.Settings("server-party-1", dir, k1, Optional.empty()), RND);
        started.store().store("key-a", new byte[] {1, 2, 3});
        Map<String, byte[]> before = snapshot(dir);
        assertThatThrownBy(() -> PartyBootstrap.start(new PartyBootstrap.Settings("server-party-1", dir, kek(1), Optional.empty()), RND))
                .isInstanceOf(PartyBootstrap.StartRefused.class).hasMessageContaining("refusing to start").hasMessageContaining("No share was changed");
        assertThatThrownBy(() -> PartyBootstrap.start(new PartyBootstrap.Settings("server-party-1", dir, kek(2), Optional.empty()), RND))
                .isInstanceOf(PartyBootstrap.StartRefused.class).hasMessageContaining("version 1");
        Map<String, byte[]> after = snapshot(dir);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((name, bytes) -> assertThat(after.get(name)).as(name).isEqualTo(bytes));
    }

    @Test
    void rotationRewrapsEverythingAtStart(@TempDir Path dir) {
        KeyEncryptionKey k1 = kek(1);
        var v1 = PartyBootstrap.start(new PartyBootstrap.Settings("server-party-1", dir, k1, Optional.empty()), RND);
        v1.store().store("key-a", new byte[] {1});
        v1.store().store("key-b", new byte[] {2});
        KeyEncryptionKey k2 = kek(2);
        var v2 = PartyBootstrap.start(new PartyBootstrap.Settings("server-party-1", dir, k2, Optional.of(k1)), RND);
        assertThat(v2.rewrapped()).isEqualTo(3); // two shares and the identity
        assertThat(v2.store().countByKekVersion()).isEqualTo(Map.of(2, 3));
        var after = PartyBootstrap.start(new PartyBootstrap.Settings("server-party-1", dir, k2, Optional.empty()), RND);
        assertThat(after.store().load("key-b")).contains(new byte[] {2});
        assertThat(after.identity().signingKey()).isEqualTo(v1.identity().signingKey());
    }

    @Test
    void sharesCanLiveInPostgresWithTheSameGuarantees() throws Exception {
        try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start()) {
            KeyEncryptionKey k1 = kek(1);
            var storage = new io.mpcsystem.keystore.JdbcShareStorage(pg.getPostgresDatabase(), "server-party-1");
            var first = PartyBootstrap.start(new PartyBootstrap.Settings("server-party-1", storage, "postgres", k1, Optional.empty()), RND);
            first.store().store("key-a", new byte[] {1});
            var again = PartyBootstrap.start(new PartyBootstrap.Settings("server-party-1", storage, "postgres", k1, Optional.empty()), RND);
            assertThat(again.identity().signingKey()).isEqualTo(first.identity().signingKey());
            assertThatThrownBy(() -> PartyBootstrap.start(new PartyBootstrap.Settings("server-party-1", storage, "postgres", kek(1), Optional.empty()), RND))
                    .isInstanceOf(PartyBootstrap.StartRefused.class);
            assertThat(again.store().load("key-a")).contains(new byte[] {1});
        }
    }
}
