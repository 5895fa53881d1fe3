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
            recent.remove(p.partyId());
        } catch (SQLException e) {
            throw new StoreUnavailable(e);
        }
    }

    /**
     * Identities read in the last {@link #REREAD}: every signature names its signers' identities
     * in its roster. A party keeps its identity keys for life (they are sealed in its store), so
     * the only change, a party re-registering after losing its store, shows here at once on this
     * replica and within the re-read time on the others.
     */
    static final java.time.Duration REREAD = java.time.Duration.ofSeconds(5);
    private record Seen(Party party, long atNanos) {
    }
    private final java.util.Map<String, Seen> recent = new java.util.concurrent.ConcurrentHashMap<>();

    public Optional<Party> find(String partyId) {
        Seen seen = recent.get(partyId);
        long now = System.nanoTime();
        if (seen != null && now - seen.atNanos() < REREAD.toNanos()) return Optional.of(seen.party());
        Optional<Party> read = read(partyId);
        read.ifPresent(p -> recent.put(partyId, new Seen(p, now)));
        return read;
    }

    private Optional<Party> read(String partyId) {
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
