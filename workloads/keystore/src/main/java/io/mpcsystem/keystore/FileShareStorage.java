package io.mpcsystem.keystore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Sealed shares as files {@code <keyId>.share} in one directory (by default
 * {@code /data/keyshares}). A write goes to a temporary file, is fsynced, renamed over the old
 * file atomically, and the directory is fsynced, so a crash never leaves a torn share. The
 * directory is 0700 and every file 0600 (where the file system has POSIX permissions): only the
 * party's own user can read even the sealed bytes.
 */
public final class FileShareStorage implements ShareStorage {
    private static final String SUFFIX = ".share";
    private static final String TAKEN = ".taken-";
    private final Path dir;

    public FileShareStorage(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            restrict(dir, "rwx------");
            // files written by earlier versions with the default umask
            boolean removed = false;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (!Files.isRegularFile(f)) continue;
                    // an entry taken (renamed) by a process that died before deleting it: it was handed out
                    // once already (a presignature: using it again would reuse its nonce), so it goes
                    if (f.getFileName().toString().startsWith(".") && f.getFileName().toString().contains(SUFFIX + TAKEN)) {
                        Files.delete(f);
                        removed = true;
                    } else {
                        restrict(f, "rw-------");
                    }
                }
            }
            if (removed) syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create key share directory " + dir, e);
        }
    }

    @Override
    public void put(SealedShare share) {
        Path target = dir.resolve(share.keyId() + SUFFIX);
        Path tmp = dir.resolve("." + share.keyId() + SUFFIX + ".tmp");
        byte[] bytes = share.encode();
        try {
            Files.deleteIfExists(tmp);
            try (FileChannel ch = open(tmp)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the key share directory does not support atomic renames", e);
            }
            syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write key share " + share.keyId(), e);
        }
    }

    @Override
    public Optional<SealedShare> get(String keyId) {
        ShareIds.check("key id", keyId);
        try {
            return Optional.of(SealedShare.decode(Files.readAllBytes(dir.resolve(keyId + SUFFIX))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key share " + keyId, e);
        }
    }

    @Override
    public List<String> keyIds() {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> ids = new ArrayList<>();
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX) && !n.startsWith("."))
                    .sorted()
                    .forEach(n -> ids.add(n.substring(0, n.length() - SUFFIX.length())));
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list key shares in " + dir, e);
        }
    }

    @Override
    public void delete(String keyId) {
        ShareIds.check("key id", keyId);
        try {
            if (Files.deleteIfExists(dir.resolve(keyId + SUFFIX))) syncDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete key share " + keyId, e);
        }
    }

    @Override
    public Optional<SealedShare> take(String keyId) {
        ShareIds.check("key id", keyId);
        // the rename is the claim: only one of concurrent takes can move the file away
        Path claimed = dir.resolve("." + keyId + SUFFIX + TAKEN + java.util.UUID.randomUUID());
        try {
            Files.move(dir.resolve(keyId + SUFFIX), claimed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take key share " + keyId, e);
        }
        try {
            SealedShare share = SealedShare.decode(Files.readAllBytes(claimed));
            Files.delete(claimed);
            syncDirectory();
            return Optional.of(share);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take key share " + keyId, e);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        if (!POSIX) return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    }

    private static final boolean POSIX = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private static void restrict(Path p, String perms) throws IOException {
        if (POSIX) Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
    }

    private void syncDirectory() throws IOException {
        // makes the rename durable; some file systems refuse to open a directory, which is fine there
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            if (!(e instanceof java.nio.file.FileSystemException)) throw e;
        }
    }
}
