package io.mpcsystem.coordinator;

import io.agroal.api.AgroalDataSource;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.proto.coordinator.v1.SessionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sessions and their rosters in PostgreSQL. State changes happen inside {@link #inTransaction}
 * with the session row locked ({@code SELECT ... FOR UPDATE}), so two coordinator replicas can
 * never both complete, fail or otherwise change the same session.
 */
@ApplicationScoped
public class SessionRepository {
    private final AgroalDataSource db;

    public SessionRepository(AgroalDataSource db) {
        this.db = db;
    }

    /** Work done in one database transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    public <T> T inTransaction(Work<T> work) {
        try (Connection c = db.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T out = work.run(c);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreUnavailable(e);
        }
    }

    public boolean exists(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM sessions WHERE session_id = ?")) {
            p.setString(1, sessionId);
            try (java.sql.ResultSet r = p.executeQuery()) {
                return r.next();
            }
        }
    }

    public void insert(Connection c, SessionRecord s) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO sessions (session_id, kind, protocol, threshold, parties, key_id, message, status, "
                + "created_at, deadline, updated_at, presignature_id, instance_key, client_authorization) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, s.id());
            p.setString(2, s.kind().name());
            p.setString(3, s.protocol());
            p.setInt(4, s.threshold());
            p.setInt(5, s.parties());
            p.setString(6, s.keyId());
            p.setBytes(7, s.message());
            p.setString(8, s.status().name());
            p.setTimestamp(9, Timestamp.from(s.createdAt()));
            p.setTimestamp(10, Timestamp.from(s.deadline()));
            p.setTimestamp(11, Timestamp.from(s.createdAt()));
            p.setString(12, s.presignatureId());
            p.setBytes(13, s.instanceKey());
            p.setBytes(14, s.authorization());
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO session_members (session_id, party_id, idx, signing_key, encryption_key) VALUES (?, ?, ?, ?, ?)")) {
            for (SessionRecord.Member m : s.members()) {
                p.setString(1, s.id());
                p.setString(2, m.partyId());
                p.setInt(3, m.index());
                p.setBytes(4, m.signingKey());
                p.setBytes(5, m.encryptionKey());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    public Optional<SessionRecord> find(String id) {
        try (Connection c = db.getConnection()) {
            return find(c, id, false);
        } catch (SQLException e) {
            throw new StoreUnavailable(e);
        }
    }

    /** Reads a session; with {@code lock}, holds its row until the transaction ends. */
    public Optional<SessionRecord> find(Connection c, String id, boolean lock) throws SQLException {
        SessionRecord head;
        try (PreparedStatement p = c.prepareStatement("SELECT session_id, kind, protocol, threshold, parties, key_id, message, status, public_key, signature, "
                + "recovery_id, failure_reason, culprit_party_id, created_at, deadline, presignature_id, instance_key, client_authorization FROM sessions WHERE session_id = ?" + (lock ? " FOR UPDATE" : ""))) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) return Optional.empty();
                head = new SessionRecord(r.getString(1), SessionKind.valueOf(r.getString(2)), r.getString(3), r.getInt(4), r.getInt(5), r.getString(6),
                        r.getBytes(7), SessionStatus.valueOf(r.getString(8)), r.getBytes(9), r.getBytes(10), (Integer) r.getObject(11), r.getString(12),
                        r.getString(13), r.getTimestamp(14).toInstant(), r.getTimestamp(15).toInstant(), List.of(), r.getString(16), r.getBytes(17), r.getBytes(18));
            }
        }
        List<SessionRecord.Member> members = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT party_id, idx, signing_key, encryption_key, joined_at, reported_at, succeeded, result_public_key, "
                + "result_signature, result_recovery_id, failure_reason, culprit_party_id, result_instance_key, result_signature_share FROM session_members WHERE session_id = ? ORDER BY idx")) {
            p.setString(1, id);
            try (ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    members.add(new SessionRecord.Member(r.getString(1), r.getInt(2), r.getBytes(3), r.getBytes(4), instant(r.getTimestamp(5)),
                            instant(r.getTimestamp(6)), (Boolean) r.getObject(7), r.getBytes(8), r.getBytes(9), (Integer) r.getObject(10),
                            r.getString(11), r.getString(12), r.getBytes(13), r.getBytes(14)));
                }
            }
        }
        return Optional.of(new SessionRecord(head.id(), head.kind(), head.protocol(), head.threshold(), head.parties(), head.keyId(), head.message(),
                head.status(), head.publicKey(), head.signature(), head.recoveryId(), head.failureReason(), head.culpritPartyId(),
                head.createdAt(), head.deadline(), members, head.presignatureId(), head.instanceKey(), head.authorization()));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    public void markJoined(Connection c, String sessionId, String partyId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE session_members SET joined_at = now() WHERE session_id = ? AND party_id = ? AND joined_at IS NULL")) {
            p.setString(1, sessionId);
            p.setString(2, partyId);
            p.executeUpdate();
        }
    }

    /** What a member reported: its result (public key, signature, instance key, signature share) or its failure. */
    public record Outcome(boolean succeeded, byte[] publicKey, byte[] signature, Integer recoveryId, byte[] instanceKey, byte[] signatureShare,
                          String failureReason, String culprit) {
    }

    public void recordOutcome(Connection c, String sessionId, String partyId, Outcome o) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE session_members SET reported_at = now(), succeeded = ?, result_public_key = ?, "
                + "result_signature = ?, result_recovery_id = ?, failure_reason = ?, culprit_party_id = ?, result_instance_key = ?, "
                + "result_signature_share = ? WHERE session_id = ? AND party_id = ?")) {
            p.setBoolean(1, o.succeeded());
            p.setBytes(2, o.publicKey());
            p.setBytes(3, o.signature());
            p.setObject(4, o.recoveryId());
            p.setString(5, o.failureReason());
            p.setString(6, o.culprit());
            p.setBytes(7, o.instanceKey());
            p.setBytes(8, o.signatureShare());
            p.setString(9, sessionId);
            p.setString(10, partyId);
            p.executeUpdate();
        }
    }

    public void setStatus(Connection c, String sessionId, SessionStatus status) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE sessions SET status = ?, updated_at = now() WHERE session_id = ?")) {
            p.setString(1, status.name());
            p.setString(2, sessionId);
            p.executeUpdate();
        }
    }

    public void complete(Connection c, String sessionId, byte[] publicKey, byte[] signature, Integer recoveryId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE sessions SET status = 'COMPLETED', public_key = ?, signature = ?, recovery_id = ?, "
                + "updated_at = now() WHERE session_id = ?")) {
            p.setBytes(1, publicKey);
            p.setBytes(2, signature);
            p.setObject(3, recoveryId);
            p.setString(4, sessionId);
            p.executeUpdate();
        }
    }

    public void fail(Connection c, String sessionId, String reason, String culprit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE sessions SET status = 'FAILED', failure_reason = ?, culprit_party_id = ?, updated_at = now() "
                + "WHERE session_id = ?")) {
            p.setString(1, reason);
            p.setString(2, culprit);
            p.setString(3, sessionId);
            p.executeUpdate();
        }
    }

    /** Removes a session and its roster. */
    public void delete(Connection c, String sessionId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM sessions WHERE session_id = ?")) {
            p.setString(1, sessionId);
            p.executeUpdate();
        }
    }

    /** Open sessions in which this party has not reported yet (what a (re)connecting party must hear about). */
    public List<String> openSessionsFor(String partyId) {
        try (Connection c = db.getConnection(); PreparedStatement p = c.prepareStatement("SELECT s.session_id FROM sessions s JOIN session_members m "
                + "ON m.session_id = s.session_id WHERE m.party_id = ? AND m.reported_at IS NULL AND s.status IN ('PENDING', 'RUNNING') ORDER BY s.created_at")) {
            p.setString(1, partyId);
            try (ResultSet r = p.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (r.next()) out.add(r.getString(1));
                return out;
            }
        } catch (SQLException e) {
            throw new StoreUnavailable(e);
        }
    }

    /** Ids of open sessions past their deadline, locked and skipped by other replicas doing the same. */
    public List<String> lockExpired(Connection c, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT session_id FROM sessions WHERE status IN ('PENDING', 'RUNNING') AND deadline < ? "
                + "ORDER BY deadline LIMIT 100 FOR UPDATE SKIP LOCKED")) {
            p.setTimestamp(1, Timestamp.from(now));
            try (ResultSet r = p.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (r.next()) out.add(r.getString(1));
                return out;
            }
        }
    }
}
