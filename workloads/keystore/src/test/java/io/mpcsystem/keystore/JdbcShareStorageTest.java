package io.mpcsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PostgreSQL share store against a real PostgreSQL server, with the same guarantees as the file store. */
class JdbcShareStorageTest {
    private static final SecureRandom RND = new SecureRandom();
    private static final EnvelopeCipher CIPHER = new EnvelopeCipher(RND);
    private static EmbeddedPostgres pg;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    private static KeyEncryptionKey kek(int v) {
        byte[] k = new byte[32];
        RND.nextBytes(k);
        return new KeyEncryptionKey(v, k);
    }

    @Test
    void storesRewrapsAndKeepsPartiesApart() {
        KeyEncryptionKey a1 = kek(1);
        KeyShareStore partyA = new KeyShareStore("party-a", KeyRing.of(a1), new JdbcShareStorage(pg.getPostgresDatabase(), "party-a"), CIPHER);
        KeyShareStore partyB = new KeyShareStore("party-b", KeyRing.of(kek(1)), new JdbcShareStorage(pg.getPostgresDatabase(), "party-b"), CIPHER);
        partyA.store("key-1", new byte[] {1, 2, 3});
        partyA.store("key-1", new byte[] {4, 5, 6});
        partyA.store("key-2", new byte[] {7});
        partyB.store("key-1", new byte[] {9});
        assertThat(partyA.load("key-1")).contains(new byte[] {4, 5, 6});
        assertThat(partyB.load("key-1")).contains(new byte[] {9});
        assertThat(new JdbcShareStorage(pg.getPostgresDatabase(), "party-a").keyIds()).containsExactly("key-1", "key-2");

        KeyEncryptionKey a2 = kek(2);
        KeyShareStore rotated = new KeyShareStore("party-a", new KeyRing(a2, a1), new JdbcShareStorage(pg.getPostgresDatabase(), "party-a"), CIPHER);
        assertThat(rotated.rewrapAll()).isEqualTo(2);
        assertThat(rotated.countByKekVersion()).isEqualTo(Map.of(2, 2));
        assertThat(new KeyShareStore("party-a", KeyRing.of(a2), new JdbcShareStorage(pg.getPostgresDatabase(), "party-a"), CIPHER).load("key-2"))
                .contains(new byte[] {7});
        // a wrong key changes nothing
        KeyShareStore wrong = new KeyShareStore("party-a", new KeyRing(kek(3), kek(2)), new JdbcShareStorage(pg.getPostgresDatabase(), "party-a"), CIPHER);
        assertThatThrownBy(wrong::rewrapAll).isInstanceOf(UnreadableShareException.class);
        assertThat(rotated.countByKekVersion()).isEqualTo(Map.of(2, 2));

        rotated.delete("key-2");
        rotated.delete("key-2");
        assertThat(rotated.keyIds()).containsExactly("key-1");
        assertThat(partyB.load("key-1")).as("another party's share of the same key stays").contains(new byte[] {9});
    }

    @Test
    void aStoreOnlyAcceptsItsOwnPartysShares() {
        JdbcShareStorage storage = new JdbcShareStorage(pg.getPostgresDatabase(), "party-c");
        SealedShare foreign = CIPHER.seal("key-x", "party-d", new byte[] {1}, kek(1));
        assertThatThrownBy(() -> storage.put(foreign)).isInstanceOf(IllegalArgumentException.class);
        assertThat(storage.get("key-x")).isEmpty();
    }

    @Test
    void aTakeIsAtomic() throws Exception {
        KeyShareStore store = new KeyShareStore("party-t", KeyRing.of(kek(1)), new JdbcShareStorage(pg.getPostgresDatabase(), "party-t"), CIPHER);
        KeyShareStoreTest.onlyOneTakeWins(store);
    }
}
