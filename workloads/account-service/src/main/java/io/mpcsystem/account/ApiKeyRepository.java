package io.mpcsystem.account;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The table of API keys: hashes (never the keys), tenants and scopes. */
@ApplicationScoped
public class ApiKeyRepository {
    private final AgroalDataSource db;

    ApiKeyRepository(AgroalDataSource db) {
        this.db = db;
    }

    /**
     * Every request checks its key against the active ones, so they are read at most once per
     * {@link #REREAD}: a key revoked in the database (by another replica) stops working within
     * that time, a key registered or revoked here at once.
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
             PreparedStatement ps = c.prepareStatement("SELECT id, key_hash, tenant, scopes FROM api_keys WHERE revoked_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            List<StoredApiKey> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(new StoredApiKey(rs.getObject(1, UUID.class), new ApiKeyHash(rs.getBytes(2)), rs.getString(3), scopes(rs.getArray(4))));
            }
            return keys;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read API keys", e);
        }
    }

    /** Registers a key; registering the same key again is a no-op (a revoked one stays revoked), so restarts are harmless. */
    public void registerIfAbsent(ApiKeyHash hash, String label, String tenant, Set<Scope> scopes) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (id, key_hash, label, tenant, scopes) VALUES (?, ?, ?, ?, ?) "
                     + "ON CONFLICT (key_hash) DO NOTHING")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setBytes(2, hash.bytes());
            ps.setString(3, label);
            ps.setString(4, tenant);
            ps.setArray(5, array(c, scopes));
            ps.executeUpdate();
            cached = null;
        } catch (SQLException e) {
            throw new IllegalStateException("could not register an API key", e);
        }
    }

    /** Stores a new key's hash; the key itself is never stored. */
    public ApiKeyRecord create(ApiKeyHash hash, String label, String tenant, Set<Scope> scopes, UUID createdBy) {
        UUID id = UUID.randomUUID();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (id, key_hash, label, tenant, scopes, created_by) "
                     + "VALUES (?, ?, ?, ?, ?, ?) RETURNING created_at")) {
            ps.setObject(1, id);
            ps.setBytes(2, hash.bytes());
            ps.setString(3, label);
            ps.setString(4, tenant);
            ps.setArray(5, array(c, scopes));
            ps.setObject(6, createdBy);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                cached = null;
                return new ApiKeyRecord(id, label, tenant, scopes, rs.getTimestamp(1).toInstant(), null);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not store an API key", e);
        }
    }

    /** Every key (revoked ones too), of one tenant or, with {@code tenant} empty, of all; oldest first. */
    public List<ApiKeyRecord> list(Optional<String> tenant) {
        String sql = "SELECT id, label, tenant, scopes, created_at, revoked_at FROM api_keys"
                + (tenant.isPresent() ? " WHERE tenant = ?" : "") + " ORDER BY created_at, id";
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (tenant.isPresent()) ps.setString(1, tenant.get());
            try (ResultSet rs = ps.executeQuery()) {
                List<ApiKeyRecord> keys = new ArrayList<>();
                while (rs.next()) {
                    Timestamp revoked = rs.getTimestamp(6);
                    keys.add(new ApiKeyRecord(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), scopes(rs.getArray(4)),
                            rs.getTimestamp(5).toInstant(), revoked == null ? null : revoked.toInstant()));
                }
                return keys;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not list API keys", e);
        }
    }

    /**
     * Revokes key {@code id} if it exists (in {@code tenant}, when given); revoking a revoked key
     * changes nothing. Whether the key exists.
     */
    public boolean revoke(UUID id, Optional<String> tenant) {
        String sql = "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = ?" + (tenant.isPresent() ? " AND tenant = ?" : "");
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            if (tenant.isPresent()) ps.setString(2, tenant.get());
            boolean found = ps.executeUpdate() == 1;
            cached = null; // at once on this replica; other replicas within REREAD
            return found;
        } catch (SQLException e) {
            throw new IllegalStateException("could not revoke an API key", e);
        }
    }

    private static Array array(Connection c, Set<Scope> scopes) throws SQLException {
        return c.createArrayOf("text", scopes.stream().sorted().map(Scope::id).toArray());
    }

    private static Set<Scope> scopes(Array array) throws SQLException {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (Object o : (Object[]) array.getArray()) {
            for (Scope s : Scope.values()) {
                if (s.id().equals(o)) scopes.add(s);
            }
        }
        return scopes;
    }

    /** A key as listed: never the key, never its hash. */
    public record ApiKeyRecord(UUID id, String label, String tenant, Set<Scope> scopes, Instant createdAt, Instant revokedAt) {
    }
}
