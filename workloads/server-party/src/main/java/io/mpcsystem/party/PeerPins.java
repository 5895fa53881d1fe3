package io.mpcsystem.party;

import io.mpcsystem.keystore.KeyShareStore;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which parties this party will run protocols with, and with which identity keys: the
 * provisioned ids ({@code MPC_PARTY_IDS}) and, per id, the keys first seen for it (kept sealed in
 * the share store, so a restart does not forget them). A roster naming an unknown party, or a
 * known one with other keys, is refused: a coordinator cannot slip a party of its own into a key,
 * nor replace a peer's identity.
 */
public final class PeerPins {
    static final String STORE_ID = "peer-identities";
    private static final HexFormat HEX = HexFormat.of();

    private final KeyShareStore store;
    private final Set<String> provisioned;
    private final PartyIdentity self;
    private final Map<String, byte[]> pinned = new TreeMap<>();

    public PeerPins(KeyShareStore store, Set<String> provisioned, PartyIdentity self) {
        this(store, provisioned, self, Set.of());
    }

    /**
     * @param repin parties whose pinned keys are forgotten now ({@code MPC_PEER_REPIN}): set by an
     *              operator re-provisioning a party that lost its store, for one start, after
     *              deleting that party's registration at the coordinator
     */
    public PeerPins(KeyShareStore store, Set<String> provisioned, PartyIdentity self, Set<String> repin) {
        if (provisioned.isEmpty()) throw new IllegalArgumentException("MPC_PARTY_IDS is not set: name the provisioned parties (this one included)");
        if (!provisioned.contains(self.partyId())) throw new IllegalArgumentException("MPC_PARTY_IDS does not name this party (" + self.partyId() + ")");
        this.store = store;
        this.provisioned = Set.copyOf(provisioned);
        this.self = self;
        store.load(STORE_ID).ifPresent(b -> {
            for (String line : new String(b, java.nio.charset.StandardCharsets.US_ASCII).split("\n")) {
                String[] f = line.split(" ");
                if (f.length == 2) pinned.put(f[0], HEX.parseHex(f[1]));
            }
        });
        if (pinned.keySet().removeAll(repin)) save();
    }

    /**
     * Refuses a roster with a party outside the provisioned set, or with keys other than the ones
     * pinned for it; pins the keys of parties seen for the first time.
     */
    public synchronized void check(Roster roster) {
        boolean added = false;
        for (int i : roster.indices()) {
            Roster.Member m = roster.byIndex(i).orElseThrow();
            if (!provisioned.contains(m.partyId())) {
                throw new IllegalStateException("the roster names " + m.partyId() + ", which is not one of the provisioned parties (MPC_PARTY_IDS)");
            }
            byte[] keys = concat(m.signingKey(), m.encryptionKey());
            if (m.partyId().equals(self.partyId())) {
                if (!MessageDigest.isEqual(keys, concat(self.signingKey(), self.encryptionKey()))) {
                    throw new IllegalStateException("the roster gives this party other identity keys than its own");
                }
                continue;
            }
            byte[] known = pinned.get(m.partyId());
            if (known == null) {
                pinned.put(m.partyId(), keys);
                added = true;
            } else if (!Arrays.equals(known, keys)) {
                throw new IllegalStateException("the roster gives " + m.partyId() + " other identity keys than the ones pinned for it");
            }
        }
        if (added) save();
    }

    private void save() {
        StringBuilder b = new StringBuilder();
        pinned.forEach((id, keys) -> b.append(id).append(' ').append(HEX.formatHex(keys)).append('\n'));
        store.store(STORE_ID, b.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
