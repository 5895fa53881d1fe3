package io.mpcsystem.party;

import io.mpcsystem.keystore.CorruptShareException;
import io.mpcsystem.keystore.EnvelopeCipher;
import io.mpcsystem.keystore.FileShareStorage;
import io.mpcsystem.keystore.KeyEncryptionKey;
import io.mpcsystem.keystore.KeyRing;
import io.mpcsystem.keystore.KeyShareStore;
import io.mpcsystem.keystore.ShareStorage;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * A party's start-up: opens its encrypted store with the keys it was given, refuses to start if
 * any stored share cannot be opened (before writing anything), re-wraps shares still under the
 * previous key-encryption key, and loads (or on first start creates) its identity keys.
 */
public final class PartyBootstrap {
    /** The identity keys are sealed in the same store as the shares, under this id. */
    public static final String IDENTITY_ID = "party-identity";

    /** What the party needs to run, after a successful start. */
    public record Started(PartyIdentity identity, KeyShareStore store, int rewrapped, int presignaturesDiscarded) {
    }

    /** The settings a party is started with; the keys come from MPC_CRYPTO_MASTER_KEY(_PREVIOUS). */
    public record Settings(String partyId, ShareStorage storage, String where, KeyEncryptionKey current, Optional<KeyEncryptionKey> previous) {
        /** Shares as files in a directory (the default, on the party's own volume). */
        public Settings(String partyId, Path shareDir, KeyEncryptionKey current, Optional<KeyEncryptionKey> previous) {
            this(partyId, new FileShareStorage(shareDir), shareDir.toString(), current, previous);
        }

        @Override
        public String toString() {
            return "Settings[" + partyId + ", shares in " + where + ", key-encryption key version " + current.version()
                    + previous.map(p -> ", previous version " + p.version()).orElse("") + "]";
        }
    }

    /** A start that must not go ahead; the message says why and never contains key material. */
    public static final class StartRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StartRefused(String message) {
            super(message, null, false, false);
        }
    }

    private PartyBootstrap() {
    }

    public static Started start(Settings settings, SecureRandom random) {
        KeyRing ring = new KeyRing(settings.current(), settings.previous().orElse(null));
        KeyShareStore store = new KeyShareStore(settings.partyId(), ring, settings.storage(), new EnvelopeCipher(random));
        int rewrapped;
        try {
            rewrapped = store.rewrapAll();
        } catch (CorruptShareException e) {
            throw new StartRefused("refusing to start party " + settings.partyId() + ": " + e.getMessage()
                    + ". No share was changed. Check MPC_CRYPTO_MASTER_KEY (and MPC_CRYPTO_MASTER_KEY_PREVIOUS during a rotation).");
        }
        PartyIdentity identity = store.load(IDENTITY_ID).map(b -> {
            try {
                return PartyIdentity.decodePrivate(settings.partyId(), b);
            } finally {
                Arrays.fill(b, (byte) 0);
            }
        }).orElseGet(() -> {
            PartyIdentity fresh = PartyIdentity.generate(settings.partyId(), random);
            byte[] enc = fresh.encodePrivate();
            try {
                store.store(IDENTITY_ID, enc);
            } finally {
                Arrays.fill(enc, (byte) 0);
            }
            return fresh;
        });
        int discarded = new PartyShares(store).discardAllPresignatures();
        return new Started(identity, store, rewrapped, discarded);
    }
}
