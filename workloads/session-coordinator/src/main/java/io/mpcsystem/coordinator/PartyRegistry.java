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

/** Parties and their identity public keys, as they registered. */
@ApplicationScoped
public class PartyRegistry {
    /** A registered party. */
    public record Party(String partyId, byte[] signingKey, byte[] encryptionKey) {
    }

    private final AgroalDataSource db;

    public PartyRegistry(AgroalDataSource db) {
        this.db = db;
    }

    public void register(Party p) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO parties (party_id, signing_key, encryption_key) VALUES (?, ?, ?) "
                        + "ON CONFLICT (party_id) DO UPDATE SET signing_key = EXCLUDED.signing_key, encryption_key = EXCLUDED.encryption_key, last_seen_at = now()")) {
            s.setString(1, p.partyId());
            s.setBytes(2, p.signingKey());
            s.setBytes(3, p.encryptionKey());
            s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailable(e);
        }
    }

    public Optional<Party> find(String partyId) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT party_id, signing_key, encryption_key FROM parties WHERE party_id = ?")) {
            s.setString(1, partyId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(new Party(r.getString(1), r.getBytes(2), r.getBytes(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreUnavailable(e);
        }
    }

    /** All parties, ordered by id, so key generation picks its roster deterministically. */
    public List<Party> all() {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT party_id, signing_key, encryption_key FROM parties ORDER BY party_id"); ResultSet r = s.executeQuery()) {
            List<Party> out = new ArrayList<>();
            while (r.next()) out.add(new Party(r.getString(1), r.getBytes(2), r.getBytes(3)));
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailable(e);
        }
    }
}
