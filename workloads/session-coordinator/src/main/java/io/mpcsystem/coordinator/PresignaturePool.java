package io.mpcsystem.coordinator;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The presignatures that exist, by key: which signers hold the secret halves and the public R.
 * The secret halves never come here. A presignature is handed out at most once: its row is
 * deleted in the transaction that creates the SIGN session using it (the parties then delete
 * theirs before they release a signature share, so even a coordinator that asked twice would
 * get one share per party).
 */
@ApplicationScoped
public class PresignaturePool {
    private final AgroalDataSource db;

    public PresignaturePool(AgroalDataSource db) {
        this.db = db;
    }

    /** A presignature taken from the pool for one SIGN session. */
    public record Claimed(String presignatureId, List<String> partyIds, List<Integer> indices, byte[] instanceKey) {
    }

    /** Records a completed PRESIGN session's presignature. */
    public void add(Connection c, String presignatureId, String keyId, List<SessionRecord.Member> signers, byte[] instanceKey) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO presignatures (presignature_id, key_id, party_ids, indices, instance_key) "
                + "VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, presignatureId);
            p.setString(2, keyId);
            p.setArray(3, c.createArrayOf("text", signers.stream().map(SessionRecord.Member::partyId).toArray()));
            p.setArray(4, c.createArrayOf("int4", signers.stream().map(SessionRecord.Member::index).toArray()));
            p.setBytes(5, instanceKey);
            p.executeUpdate();
        }
    }

    /**
     * Takes the oldest presignature of the key whose signers {@code usable} accepts (e.g. all
     * online). Rows another transaction is taking are skipped, not waited for.
     */
    public Optional<Claimed> claim(Connection c, String keyId, Predicate<Set<String>> usable) throws SQLException {
        List<Claimed> candidates = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT presignature_id, party_ids, indices, instance_key FROM presignatures WHERE key_id = ? "
                + "ORDER BY created_at LIMIT 8 FOR UPDATE SKIP LOCKED")) {
            p.setString(1, keyId);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) candidates.add(new Claimed(r.getString(1), strings(r.getArray(2)), ints(r.getArray(3)), r.getBytes(4)));
            }
        }
        for (Claimed candidate : candidates) {
            if (!usable.test(Set.copyOf(candidate.partyIds()))) continue;
            try (PreparedStatement p = c.prepareStatement("DELETE FROM presignatures WHERE presignature_id = ?")) {
                p.setString(1, candidate.presignatureId());
                p.executeUpdate();
            }
            return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** Drops every presignature of a key (its shares are being refreshed). */
    public int discardAll(Connection c, String keyId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM presignatures WHERE key_id = ?")) {
            p.setString(1, keyId);
            return p.executeUpdate();
        }
    }

    /**
     * Drops every presignature a party signs in: called when it registers, i.e. after each start.
     * A party discards its halves when it starts, so after a restart (or a restore from a backup,
     * which also means a start) no presignature made before can be handed out, let alone used twice.
     */
    public int discardParty(String partyId) {
        try (Connection c = db.getConnection(); PreparedStatement p = c.prepareStatement("DELETE FROM presignatures WHERE ? = ANY (party_ids)")) {
            p.setString(1, partyId);
            return p.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailable(e);
        }
    }

    /** Ready presignatures of a key. */
    public int ready(Connection c, String keyId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM presignatures WHERE key_id = ?")) {
            p.setString(1, keyId);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }

    /** Ready presignatures of all keys (a gauge); -1 when the database cannot say. */
    public double readyTotal() {
        try (Connection c = db.getConnection(); PreparedStatement p = c.prepareStatement("SELECT count(*) FROM presignatures");
             ResultSet r = p.executeQuery()) {
            r.next();
            return r.getLong(1);
        } catch (SQLException | RuntimeException e) {
            return -1;
        }
    }

    private static List<String> strings(Array a) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Object o : (Object[]) a.getArray()) out.add((String) o);
        return out;
    }

    private static List<Integer> ints(Array a) throws SQLException {
        List<Integer> out = new ArrayList<>();
        for (Object o : (Object[]) a.getArray()) out.add(((Number) o).intValue());
        return out;
    }
}
