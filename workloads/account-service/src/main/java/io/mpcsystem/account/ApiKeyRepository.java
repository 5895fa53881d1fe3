package io.mpcsystem.account;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The table of API key hashes. */
@ApplicationScoped
public class ApiKeyRepository {
    private final AgroalDataSource db;

    ApiKeyRepository(AgroalDataSource db) {
        this.db = db;
    }

    /**
     * Every request checks its key against the active ones, so they are read at most once per
     * {@link #REREAD}: a key revoked in the database stops working within that time, a key
     * registered here at once.
     */
    static final java.time.Duration REREAD = java.time.Duration.ofSeconds(2);
    private volatile List<StoredApiKey> cached;
    private volatile long cachedAt;

    public List<StoredApiKey> active() {
        List<StoredApiKey> keys = cached;
        long now = System.nanoTime();
        if (keys != null && now - cachedAt < REREAD.toNanos()) return keys;
        keys = List.copyOf(read());
        cached = keys;
        cachedAt = now;
        return keys;
    }

    private List<StoredApiKey> read() {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id, key_hash FROM api_keys WHERE revoked_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            List<StoredApiKey> keys = new ArrayList<>();
            while (rs.next()) keys.add(new StoredApiKey(rs.getObject(1, UUID.class), new ApiKeyHash(rs.getBytes(2))));
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read API keys", e);
        }
    }

    /** Registers a key; registering the same key again is a no-op, so restarts are harmless. */
    public void registerIfAbsent(ApiKeyHash hash, String label) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO api_keys (id, key_hash, label) VALUES (?, ?, ?) ON CONFLICT (key_hash) DO NOTHING")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setBytes(2, hash.bytes());
            ps.setString(3, label);
            ps.executeUpdate();
            cached = null;
        } catch (SQLException e) {
            throw new IllegalStateException("could not register an API key", e);
        }
    }
}
