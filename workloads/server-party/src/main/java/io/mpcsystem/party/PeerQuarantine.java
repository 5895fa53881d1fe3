package io.mpcsystem.party;

import io.mpcsystem.keystore.KeyShareStore;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

/**
 * Peers this party will not sign with, per key, until the key is refreshed: a DKLs23 peer that
 * made the OT-extension check fail may have learned one bit of this party's secret correlation
 * with it, and each further attempt could teach it another. Kept sealed in the share store, so a
 * restart does not forget it.
 */
public final class PeerQuarantine {
    private final KeyShareStore store;

    public PeerQuarantine(KeyShareStore store) {
        this.store = store;
    }

    private static String id(String keyId) {
        return keyId + ".quarantine";
    }

    public synchronized Set<String> peers(String keyId) {
        Set<String> out = new TreeSet<>();
        store.load(id(keyId)).ifPresent(b -> {
            for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) if (!line.isBlank()) out.add(line);
        });
        return out;
    }

    public synchronized void add(String keyId, String peer) {
        Set<String> peers = peers(keyId);
        if (peers.add(peer)) store.store(id(keyId), String.join("\n", peers).getBytes(StandardCharsets.UTF_8));
    }

    /** After a refresh every pairwise setup is new. */
    public synchronized void clear(String keyId) {
        if (!peers(keyId).isEmpty()) store.store(id(keyId), new byte[0]);
    }
}
