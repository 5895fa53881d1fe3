package io.mpcsystem.keystore;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A party's key shares, encrypted at rest under its own key-encryption keys. The only place
 * where a share is turned into plaintext bytes, and only on request of a protocol run.
 */
public final class KeyShareStore {
    private final String partyId;
    private final KeyRing ring;
    private final ShareStorage storage;
    private final EnvelopeCipher cipher;

    public KeyShareStore(String partyId, KeyRing ring, ShareStorage storage, EnvelopeCipher cipher) {
        this.partyId = ShareIds.check("party id", partyId);
        this.ring = ring;
        this.storage = storage;
        this.cipher = cipher;
    }

    public void store(String keyId, byte[] share) {
        storage.put(cipher.seal(keyId, partyId, share, ring.current()));
    }

    /** Removes a share durably (e.g. a refreshed share whose session failed). */
    public void delete(String keyId) {
        storage.delete(keyId);
    }

    /** The ids of every stored item (shares, and whatever else the party seals here). */
    public java.util.List<String> keyIds() {
        return storage.keyIds();
    }

    /**
     * The share in clear; the caller wipes it after use.
     *
     * @throws UnreadableShareException when this party's keys cannot open it
     */
    public Optional<byte[]> load(String keyId) {
        return storage.get(keyId).map(s -> {
            if (!s.partyId().equals(partyId) || !s.keyId().equals(keyId)) {
                throw new CorruptShareException("stored share " + keyId + " belongs to key " + s.keyId() + " of party " + s.partyId());
            }
            return cipher.open(s, ring);
        });
    }

    /**
     * Takes a sealed entry out of storage for its one use and opens it: removed durably before it
     * is returned, and of concurrent takes of one id at most one gets it.
     */
    public Optional<byte[]> take(String keyId) {
        return storage.take(keyId).map(s -> {
            if (!s.partyId().equals(partyId) || !s.keyId().equals(keyId)) {
                throw new CorruptShareException("stored share " + keyId + " belongs to key " + s.keyId() + " of party " + s.partyId());
            }
            return cipher.open(s, ring);
        });
    }

    /**
     * Start-up check: every stored share can be unwrapped by this party's keys. Reads only;
     * a party given a wrong key refuses to start before it writes anything.
     *
     * @throws UnreadableShareException naming the first share that cannot be opened
     */
    public void checkAllReadable() {
        for (String id : storage.keyIds()) {
            SealedShare s = storage.get(id).orElseThrow();
            if (!s.partyId().equals(partyId)) throw new CorruptShareException("stored share " + id + " belongs to party " + s.partyId());
            cipher.checkReadable(s, ring);
        }
    }

    /**
     * Re-wraps every share that is not under the current KEK. Checks all shares first, so a
     * missing or wrong key changes nothing; each share is then replaced atomically.
     *
     * @return how many shares were re-wrapped
     */
    public int rewrapAll() {
        checkAllReadable();
        int changed = 0;
        for (String id : storage.keyIds()) {
            SealedShare s = storage.get(id).orElseThrow();
            if (s.kekVersion() == ring.current().version()) continue;
            SealedShare re = cipher.rewrap(s, ring);
            cipher.checkReadable(re, ring);
            storage.put(re);
            changed++;
        }
        return changed;
    }

    /** How many shares are wrapped under each KEK version (what the operator's rotation waits on). */
    public Map<Integer, Integer> countByKekVersion() {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (String id : storage.keyIds()) storage.get(id).ifPresent(s -> counts.merge(s.kekVersion(), 1, Integer::sum));
        return counts;
    }

    public int currentKekVersion() {
        return ring.current().version();
    }
}
