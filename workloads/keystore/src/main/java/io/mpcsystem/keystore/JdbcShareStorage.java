package io.mpcsystem.keystore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Sealed shares in PostgreSQL, for parties without a persistent volume. Rows hold only sealed
 * (encrypted, authenticated) bytes; each party has its own rows and its own key-encryption key,
 * so a party that reads another's rows still cannot open them. A write replaces a row in one
 * statement, so a crash leaves the old or the new share, whole.
 */
public final class JdbcShareStorage implements ShareStorage {
    private final DataSource db;
    private final String partyId;

    public JdbcShareStorage(DataSource db, String partyId) {
        this.db = db;
        this.partyId = ShareIds.check("party id", partyId);
        createTable();
    }

    private void createTable() {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS party_keyshares (party_id text NOT NULL, key_id text NOT NULL, sealed bytea NOT NULL, "
                    + "updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (party_id, key_id))");
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void put(SealedShare share) {
        if (!share.partyId().equals(partyId)) throw new IllegalArgumentException("share of party " + share.partyId() + " given to the store of " + partyId);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO party_keyshares (party_id, key_id, sealed) VALUES (?, ?, ?) "
                        + "ON CONFLICT (party_id, key_id) DO UPDATE SET sealed = EXCLUDED.sealed, updated_at = now()")) {
            s.setString(1, partyId);
            s.setString(2, share.keyId());
            s.setBytes(3, share.encode());
            s.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<SealedShare> get(String keyId) {
        ShareIds.check("key id", keyId);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT sealed FROM party_keyshares WHERE party_id = ? AND key_id = ?")) {
            s.setString(1, partyId);
            s.setString(2, keyId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(SealedShare.decode(r.getBytes(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<String> keyIds() {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT key_id FROM party_keyshares WHERE party_id = ? ORDER BY key_id")) {
            s.setString(1, partyId);
            try (ResultSet r = s.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (r.next()) out.add(r.getString(1));
                return out;
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public void delete(String keyId) {
        ShareIds.check("key id", keyId);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM party_keyshares WHERE party_id = ? AND key_id = ?")) {
            s.setString(1, partyId);
            s.setString(2, keyId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<SealedShare> take(String keyId) {
        ShareIds.check("key id", keyId);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "DELETE FROM party_keyshares WHERE party_id = ? AND key_id = ? RETURNING sealed")) {
            s.setString(1, partyId);
            s.setString(2, keyId);
            try (java.sql.ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(SealedShare.decode(r.getBytes(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private static IllegalStateException unavailable(SQLException e) {
        return new IllegalStateException("key share database unavailable (" + e.getSQLState() + ")", e);
    }
}
