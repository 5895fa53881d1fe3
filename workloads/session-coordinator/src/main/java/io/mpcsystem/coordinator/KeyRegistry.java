package io.mpcsystem.coordinator;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Keys that key generation produced, and which party holds which share index. */
@ApplicationScoped
public class KeyRegistry {
    /** A key and its members ordered by share index. */
    public record Key(String keyId, String protocol, int threshold, int parties, byte[] publicKey, List<KeyMember> members) {
        public Key {
            publicKey = publicKey.clone();
            members = List.copyOf(members);
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }
    }

    /** A party holding share {@code index} of a key. */
    public record KeyMember(String partyId, int index) {
    }

    private final AgroalDataSource db;

    public KeyRegistry(AgroalDataSource db) {
        this.db = db;
    }

    public Optional<Key> find(String keyId) {
        Key cached = known.get(keyId);
        if (cached != null) return Optional.of(cached);
        try (Connection c = db.getConnection()) {
            return find(c, keyId);
        } catch (SQLException e) {
            throw new StoreUnavailable(e);
        }
    }

    /**
     * A key never changes once generated (a refresh replaces shares, not the public key or who
     * holds which index), so it is read from the database once per replica. Every signature looks
     * its key up three times; these were a fifth of the coordinator's queries.
     */
    private final java.util.Map<String, Key> known = new java.util.concurrent.ConcurrentHashMap<>();

    Optional<Key> find(Connection c, String keyId) throws SQLException {
        Key cached = known.get(keyId);
        if (cached != null) return Optional.of(cached);
        Optional<Key> read = read(c, keyId);
        read.ifPresent(k -> known.put(keyId, k));
        return read;
    }

    private Optional<Key> read(Connection c, String keyId) throws SQLException {
        Key key;
        try (PreparedStatement s = c.prepareStatement("SELECT key_id, protocol, threshold, parties, public_key FROM keys WHERE key_id = ?")) {
            s.setString(1, keyId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) return Optional.empty();
                key = new Key(r.getString(1), r.getString(2), r.getInt(3), r.getInt(4), r.getBytes(5), List.of());
            }
        }
        List<KeyMember> members = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT party_id, idx FROM key_members WHERE key_id = ? ORDER BY idx")) {
            s.setString(1, keyId);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) members.add(new KeyMember(r.getString(1), r.getInt(2)));
            }
        }
        return Optional.of(new Key(key.keyId(), key.protocol(), key.threshold(), key.parties(), key.publicKey(), members));
    }

    /** Key ids in order, after {@code after} (exclusive; null for the first page), at most {@code limit}. */
    public List<String> ids(String after, int limit) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT key_id FROM keys WHERE key_id > ? ORDER BY key_id LIMIT ?")) {
            s.setString(1, after == null ? "" : after);
            s.setInt(2, limit);
            List<String> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) out.add(r.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailable(e);
        }
    }

    /** Inserts a key within the caller's transaction (the one completing its key generation). */
    void insert(Connection c, Key key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO keys (key_id, protocol, threshold, parties, public_key) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, key.keyId());
            s.setString(2, key.protocol());
            s.setInt(3, key.threshold());
            s.setInt(4, key.parties());
            s.setBytes(5, key.publicKey());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO key_members (key_id, party_id, idx) VALUES (?, ?, ?)")) {
            for (KeyMember m : key.members()) {
                s.setString(1, key.keyId());
                s.setString(2, m.partyId());
                s.setInt(3, m.index());
                s.addBatch();
            }
            s.executeBatch();
        }
    }
}
