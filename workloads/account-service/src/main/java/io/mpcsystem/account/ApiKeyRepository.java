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

    public List<StoredApiKey> active() {
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
        } catch (SQLException e) {
            throw new IllegalStateException("could not register an API key", e);
        }
    }
}
