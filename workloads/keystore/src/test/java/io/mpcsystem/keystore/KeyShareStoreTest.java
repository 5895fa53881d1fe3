package io.mpcsystem.keystore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyShareStoreTest {
    private static final SecureRandom RND = new SecureRandom();
    private static final EnvelopeCipher CIPHER = new EnvelopeCipher(RND);

    private static KeyEncryptionKey kek(int version) {
        byte[] k = new byte[32];
        RND.nextBytes(k);
        return new KeyEncryptionKey(version, k);
    }

    private static byte[] share(String text) {
        return text.getBytes();
    }

    @Test
    void sealedShareOpensOnlyForItsKeyAndParty() {
        KeyEncryptionKey k1 = kek(1);
        SealedShare s = CIPHER.seal("key-1", "party-1", share("secret share"), k1);
        assertThat(CIPHER.open(SealedShare.decode(s.encode()), KeyRing.of(k1))).isEqualTo(share("secret share"));

        assertThatThrownBy(() -> CIPHER.open(s, KeyRing.of(kek(1)))).isInstanceOf(UnreadableShareException.class)
                .hasMessageContaining("cannot be unwrapped");
        assertThatThrownBy(() -> CIPHER.open(s, KeyRing.of(kek(2)))).isInstanceOf(UnreadableShareException.class)
                .hasMessageContaining("version 1");

        // the same bytes relabelled as another key id or another party fail authentication
        SealedShare moved = new SealedShare("key-2", "party-1", 1, s.wrapNonce(), s.wrappedDataKey(), s.nonce(), s.ciphertext());
        assertThatThrownBy(() -> CIPHER.open(moved, KeyRing.of(k1))).isInstanceOf(UnreadableShareException.class);
        SealedShare otherParty = new SealedShare("key-1", "party-2", 1, s.wrapNonce(), s.wrappedDataKey(), s.nonce(), s.ciphertext());
        assertThatThrownBy(() -> CIPHER.open(otherParty, KeyRing.of(k1))).isInstanceOf(UnreadableShareException.class);

        byte[] ct = s.ciphertext();
        ct[0] ^= 1;
        SealedShare tampered = new SealedShare("key-1", "party-1", 1, s.wrapNonce(), s.wrappedDataKey(), s.nonce(), ct);
        assertThatThrownBy(() -> CIPHER.open(tampered, KeyRing.of(k1))).isInstanceOf(CorruptShareException.class)
                .isNotInstanceOf(UnreadableShareException.class);
    }

    @Test
    void eachSealUsesFreshKeysAndNonces() {
        KeyEncryptionKey k1 = kek(1);
        SealedShare a = CIPHER.seal("key-1", "party-1", share("same"), k1);
        SealedShare b = CIPHER.seal("key-1", "party-1", share("same"), k1);
        assertThat(a.nonce()).isNotEqualTo(b.nonce());
        assertThat(a.ciphertext()).isNotEqualTo(b.ciphertext());
        assertThat(a.wrappedDataKey()).isNotEqualTo(b.wrappedDataKey());
    }

    @Test
    void rewrapMovesEveryShareToTheCurrentKey(@TempDir Path dir) {
        KeyEncryptionKey v1 = kek(1);
        KeyShareStore before = new KeyShareStore("party-1", KeyRing.of(v1), new FileShareStorage(dir), CIPHER);
        for (int i = 0; i < 5; i++) before.store("key-" + i, share("share " + i));
        assertThat(before.countByKekVersion()).isEqualTo(Map.of(1, 5));
        byte[] ciphertextBefore = new FileShareStorage(dir).get("key-3").orElseThrow().ciphertext();

        KeyEncryptionKey v2 = kek(2);
        KeyShareStore during = new KeyShareStore("party-1", new KeyRing(v2, v1), new FileShareStorage(dir), CIPHER);
        assertThat(during.rewrapAll()).isEqualTo(5);
        assertThat(during.countByKekVersion()).isEqualTo(Map.of(2, 5));
        assertThat(during.rewrapAll()).isZero();
        assertThat(new FileShareStorage(dir).get("key-3").orElseThrow().ciphertext()).isEqualTo(ciphertextBefore);

        KeyShareStore after = new KeyShareStore("party-1", KeyRing.of(v2), new FileShareStorage(dir), CIPHER);
        after.checkAllReadable();
        for (int i = 0; i < 5; i++) assertThat(after.load("key-" + i)).contains(share("share " + i));
        KeyShareStore oldOnly = new KeyShareStore("party-1", KeyRing.of(v1), new FileShareStorage(dir), CIPHER);
        assertThatThrownBy(oldOnly::checkAllReadable).isInstanceOf(UnreadableShareException.class);
    }

    @Test
    void wrongKeyChangesNothingOnDisk(@TempDir Path dir) throws Exception {
        KeyEncryptionKey v1 = kek(1);
        KeyShareStore good = new KeyShareStore("party-1", KeyRing.of(v1), new FileShareStorage(dir), CIPHER);
        good.store("key-a", share("a"));
        good.store("key-b", share("b"));
        byte[] a = Files.readAllBytes(dir.resolve("key-a.share"));
        byte[] b = Files.readAllBytes(dir.resolve("key-b.share"));

        // a wrong "previous" key under the right version number
        KeyShareStore wrong = new KeyShareStore("party-1", new KeyRing(kek(2), kek(1)), new FileShareStorage(dir), CIPHER);
        assertThatThrownBy(wrong::rewrapAll).isInstanceOf(UnreadableShareException.class);
        assertThat(Files.readAllBytes(dir.resolve("key-a.share"))).isEqualTo(a);
        assertThat(Files.readAllBytes(dir.resolve("key-b.share"))).isEqualTo(b);
        assertThat(good.load("key-a")).contains(share("a"));
    }

    @Test
    void storageWritesAtomicallyAndListsOnlyShares(@TempDir Path dir) throws Exception {
        FileShareStorage storage = new FileShareStorage(dir);
        KeyEncryptionKey v1 = kek(1);
        storage.put(CIPHER.seal("k1", "p", share("x"), v1));
        storage.put(CIPHER.seal("k1", "p", share("y"), v1));
        Files.write(dir.resolve(".k2.share.tmp"), new byte[] {1, 2, 3});
        assertThat(storage.keyIds()).containsExactly("k1");
        assertThat(CIPHER.open(storage.get("k1").orElseThrow(), KeyRing.of(v1))).isEqualTo(share("y"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("k1.share", ".k2.share.tmp");
        }
        assertThat(storage.get("missing")).isEmpty();
        storage.delete("k1");
        storage.delete("missing");
        assertThat(storage.keyIds()).isEmpty();
        assertThat(storage.get("k1")).isEmpty();
        assertThatThrownBy(() -> storage.delete("../k1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void damagedFilesAndUnsafeIdsAreRejected(@TempDir Path dir) throws Exception {
        FileShareStorage storage = new FileShareStorage(dir);
        Files.write(dir.resolve("junk.share"), new byte[] {'M', 'P', 'C', 'S', 1, 0});
        assertThatThrownBy(() -> storage.get("junk")).isInstanceOf(CorruptShareException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> storage.get("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CIPHER.seal("a/b", "p", share("x"), kek(1))).isInstanceOf(IllegalArgumentException.class);
        byte[] good = CIPHER.seal("k", "p", share("x"), kek(1)).encode();
        for (int cut = 0; cut < good.length; cut += 7) {
            byte[] truncated = java.util.Arrays.copyOf(good, cut);
            assertThatThrownBy(() -> SealedShare.decode(truncated)).isInstanceOf(CorruptShareException.class);
        }
    }

    @Test
    void keysNeverPrintAndParseStrictly() {
        String hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        KeyEncryptionKey k = KeyEncryptionKey.fromHex(3, hex);
        assertThat(k.toString()).doesNotContain("0123456789abcdef").contains("version 3");
        assertThatThrownBy(() -> KeyEncryptionKey.fromHex(1, hex.substring(2))).hasMessageContaining("64 hex characters").hasMessageNotContaining("456789");
        assertThatThrownBy(() -> KeyEncryptionKey.fromHex(1, "zz" + hex.substring(2))).hasMessageContaining("not valid hex").hasMessageNotContaining("456789");
    }

    /** Of many concurrent takes of one entry exactly one gets it, and it is gone afterwards. */
    static void onlyOneTakeWins(KeyShareStore store) throws Exception {
        for (int round = 0; round < 5; round++) {
            store.store("key-1.presig.s" + round, new byte[] {7, 7, 7});
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            java.util.List<java.util.concurrent.Future<java.util.Optional<byte[]>>> takes = new java.util.ArrayList<>();
            String id = "key-1.presig.s" + round;
            for (int i = 0; i < 8; i++) takes.add(pool.submit(() -> {
                go.await();
                return store.take(id);
            }));
            go.countDown();
            int won = 0;
            for (var f : takes) if (f.get().isPresent()) won++;
            pool.shutdown();
            assertThat(won).as("takes that got the entry").isEqualTo(1);
            assertThat(store.load(id)).isEmpty();
        }
    }

    @Test
    void anEntryTakenBeforeACrashIsGoneAfterTheRestartAndNeverHandedOutAgain(@TempDir Path dir) throws Exception {
        Path shares = dir.resolve("shares");
        KeyShareStore store = new KeyShareStore("party-1", KeyRing.of(kek(1)), new FileShareStorage(shares), CIPHER);
        store.store("key-1.presig.s1", share("presignature"));
        store.store("key-1", share("the key's share"));
        // what a crash between take()'s rename and its delete leaves: the sealed entry under its claimed name
        Files.move(shares.resolve("key-1.presig.s1.share"), shares.resolve(".key-1.presig.s1.share.taken-1b2c"));
        new FileShareStorage(shares);
        try (var files = Files.list(shares)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("key-1.share");
        }
        assertThat(store.take("key-1.presig.s1")).isEmpty();
        assertThat(store.load("key-1")).contains(share("the key's share"));
    }

    @Test
    void aTakeIsAtomicAndFilesAreOwnerOnly(@TempDir Path dir) throws Exception {
        Path shares = dir.resolve("shares");
        KeyShareStore store = new KeyShareStore("party-1", KeyRing.of(kek(1)), new FileShareStorage(shares), CIPHER);
        onlyOneTakeWins(store);
        store.store("key-9", share("secret share"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(shares))).isEqualTo("rwx------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(shares.resolve("key-9.share")))).isEqualTo("rw-------");
        // a file an earlier version left readable to others is closed on the next start
        Files.setPosixFilePermissions(shares.resolve("key-9.share"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        new FileShareStorage(shares);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(shares.resolve("key-9.share")))).isEqualTo("rw-------");
        assertThat(Files.list(shares).map(p -> p.getFileName().toString())).containsExactly("key-9.share");
    }
}
