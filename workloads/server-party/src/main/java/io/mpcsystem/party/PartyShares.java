package io.mpcsystem.party;

import io.mpcsystem.keystore.KeyShareStore;
import io.mpcsystem.tss.KeyShare;
import io.mpcsystem.tss.ThresholdScheme;
import java.util.Arrays;
import java.util.Optional;

/**
 * This party's key shares, typed: encodes a tss share and hands it to the encrypted store, and
 * decodes it back for a protocol run. Clear bytes live only for the duration of a call.
 */
public final class PartyShares {
    private final KeyShareStore store;

    public PartyShares(KeyShareStore store) {
        this.store = store;
    }

    public void save(String keyId, KeyShare share) {
        byte[] encoded = share.encode();
        try {
            store.store(keyId, encoded);
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    public <S extends KeyShare> Optional<S> load(String keyId, ThresholdScheme<S> scheme) {
        return store.load(keyId).map(bytes -> {
            try {
                S share = scheme.decodeShare(bytes);
                if (!share.scheme().equals(scheme.id())) throw new IllegalStateException("key " + keyId + " is a " + share.scheme() + " key, not " + scheme.id());
                return share;
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        });
    }

    /**
     * Keeps the share being replaced by a refresh under {@code <keyId>.previous}: if the refresh
     * session fails after this party stored its new share, the old generation is not lost.
     */
    public void saveRefreshed(String keyId, KeyShare refreshed) {
        store.load(keyId).ifPresent(old -> {
            try {
                store.store(keyId + ".previous", old);
            } finally {
                Arrays.fill(old, (byte) 0);
            }
        });
        save(keyId, refreshed);
    }
}
