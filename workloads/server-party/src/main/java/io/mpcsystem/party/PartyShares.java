package io.mpcsystem.party;

import io.mpcsystem.keystore.KeyShareStore;
import io.mpcsystem.tss.KeyShare;
import io.mpcsystem.tss.ThresholdScheme;
import io.mpcsystem.tss.dkls23.Dkls23Presignature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This party's key shares, typed: encodes a tss share and hands it to the encrypted store, and
 * decodes it back for a protocol run. Clear bytes live only for the duration of a call.
 */
public final class PartyShares {
    private final KeyShareStore store;

    /** Presignatures held, by key: counted once from the store, then kept as they are saved, taken and discarded. */
    private final ConcurrentHashMap<String, AtomicInteger> presignatures = new ConcurrentHashMap<>();

    public PartyShares(KeyShareStore store) {
        this.store = store;
        for (String id : store.keyIds()) {
            int at = id.indexOf(PRESIGNATURE);
            if (at > 0) presignatureCount(id.substring(0, at)).incrementAndGet();
        }
    }

    private AtomicInteger presignatureCount(String keyId) {
        return presignatures.computeIfAbsent(keyId, k -> new AtomicInteger());
    }

    /** Presignatures this party holds of {@code keyId}. */
    public int presignaturesHeld(String keyId) {
        var n = presignatures.get(keyId);
        return n == null ? 0 : n.get();
    }

    /** Presignatures this party holds of all keys. */
    public int presignaturesHeld() {
        return presignatures.values().stream().mapToInt(AtomicInteger::get).sum();
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

    private static final String PRESIGNATURE = ".presig.";

    static String presignatureId(String keyId, String presignatureId) {
        return keyId + PRESIGNATURE + presignatureId;
    }

    /** Seals a presignature of a key under the name of the session that made it (it is as secret as a nonce). */
    public void savePresignature(String keyId, String presignatureId, Dkls23Presignature presignature) {
        byte[] encoded = presignature.encode();
        try {
            store.store(presignatureId(keyId, presignatureId), encoded);
            presignatureCount(keyId).incrementAndGet();
        } finally {
            Arrays.fill(encoded, (byte) 0);
        }
    }

    /**
     * Takes a presignature out of the store for its one use: removed atomically and durably before
     * it is returned, so that a crash, a retry or any number of concurrent requests for the same
     * presignature can never make this party sign twice with one nonce (only the call that
     * removed it gets it).
     */
    public Optional<Dkls23Presignature> takePresignature(String keyId, String presignatureId) {
        Optional<byte[]> taken = store.take(presignatureId(keyId, presignatureId));
        if (taken.isEmpty()) return Optional.empty();
        presignatureCount(keyId).decrementAndGet();
        byte[] bytes = taken.get();
        try {
            return Optional.of(Dkls23Presignature.decode(bytes));
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Deletes every presignature of every key: done at each start, so a restart, or a restore of
     * this party's store from a backup, can never bring back a presignature that was already used.
     * The coordinator forgets them too when the party registers.
     */
    public int discardAllPresignatures() {
        int n = 0;
        for (String id : store.keyIds()) {
            if (id.contains(PRESIGNATURE)) {
                store.delete(id);
                n++;
            }
        }
        presignatures.clear();
        return n;
    }

    private static final String RESERVED = ".reserved";

    /**
     * Claims {@code keyId} for a key generation this party is admitted to, durably (an entry in the
     * store): false if it holds or has claimed that id already. The claim outlives a failed or
     * interrupted run on purpose: the other parties may have finished it and hold shares under the id.
     */
    public synchronized boolean reserveKey(String keyId) {
        if (holdsKey(keyId)) return false;
        store.store(keyId + RESERVED, new byte[] {1});
        return true;
    }

    /** Once the key's own share is saved, its claim has done its work. */
    public void keyGenerated(String keyId) {
        store.delete(keyId + RESERVED);
    }

    /** Whether this party holds anything under {@code keyId} (a share, a staged one, a claim). */
    public boolean holdsKey(String keyId) {
        for (String id : store.keyIds()) if (id.equals(keyId) || id.startsWith(keyId + ".")) return true;
        return false;
    }

    /** Deletes every presignature of a key (its shares were refreshed); returns how many. */
    public int discardPresignatures(String keyId) {
        int n = 0;
        for (String id : store.keyIds()) {
            if (id.startsWith(keyId + PRESIGNATURE)) {
                store.delete(id);
                n++;
            }
        }
        presignatures.remove(keyId);
        return n;
    }

    /** A refreshed share waiting for its session's outcome. */
    public record Pending(String keyId, String sessionId) {
    }

    private static final String PENDING = ".pending.";

    static String pendingId(String keyId, String sessionId) {
        return keyId + PENDING + sessionId;
    }

    /**
     * Keeps a refreshed share aside until the coordinator has seen every party succeed: promoting
     * it at once would leave the parties on different generations (and the key unusable) when
     * the session fails after some of them stored theirs.
     */
    public void stageRefreshed(String keyId, String sessionId, KeyShare refreshed) {
        save(pendingId(keyId, sessionId), refreshed);
    }

    /**
     * The session completed: the refreshed share replaces the old one, which is deleted (the
     * point of a refresh is that old shares become useless; keeping them on disk would undo it).
     *
     * @return false when nothing was staged for this session
     */
    public boolean promote(String keyId, String sessionId) {
        String pending = pendingId(keyId, sessionId);
        Optional<byte[]> staged = store.load(pending);
        if (staged.isEmpty()) return false;
        byte[] bytes = staged.get();
        try {
            store.store(keyId, bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        store.delete(pending);
        // earlier versions kept the replaced generation there
        store.delete(keyId + ".previous");
        // presignatures made with the old generation go with it
        discardPresignatures(keyId);
        return true;
    }

    /** The session failed: the staged share is dropped and the old generation stays in use. */
    public void discard(String keyId, String sessionId) {
        store.delete(pendingId(keyId, sessionId));
    }

    /** Refreshed shares still waiting for their session's outcome (e.g. after a crash). */
    public List<Pending> pending() {
        List<Pending> out = new ArrayList<>();
        for (String id : store.keyIds()) {
            int at = id.indexOf(PENDING);
            if (at > 0) out.add(new Pending(id.substring(0, at), id.substring(at + PENDING.length())));
        }
        return out;
    }
}
