package io.mpcsystem.account;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The audit trail of authenticated key and signature requests. An accepted request gets its row
 * before the coordinator is asked, so a crash mid-request still leaves a trace; the row is
 * completed with the session and outcome afterwards (a key generation's session as soon as it
 * is known).
 */
@ApplicationScoped
public class SignatureAudit {
    public static final String ACCEPTED = "ACCEPTED";
    public static final String REJECTED = "REJECTED";
    public static final String COMPLETED = "COMPLETED";
    public static final String FAILED = "FAILED";

    /** Refused requests name whatever the client sent; cap it so the audit cannot be flooded. */
    private static final int MAX_REF = 64;
    private static final int MAX_DETAIL = 1000;

    private final AgroalDataSource db;

    SignatureAudit(AgroalDataSource db) {
        this.db = db;
    }

    /** Records an accepted request; the returned id completes it. */
    public long accepted(AuditOperation operation, UUID apiKeyId, String accountRef, byte[] digest) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (operation, api_key_id, account_ref, digest, outcome) "
                     + "VALUES (?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, operation.name());
            ps.setObject(2, apiKeyId);
            ps.setString(3, cap(accountRef, MAX_REF));
            ps.setBytes(4, digest);
            ps.setString(5, ACCEPTED);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the audit record", e);
        }
    }

    /** Notes the session of a request that may take long (key generation), so a crash mid-way still leaves it traced. */
    public void session(long auditId, String sessionId) {
        update("UPDATE audit_log SET session_id = ? WHERE id = ?", sessionId, auditId);
    }

    /**
     * Completes a request's row: its outcome and, when the coordinator was asked, the session
     * (a signature's session is written here rather than in a write of its own: one commit less
     * per signature, and a signature is over in well under a second).
     */
    public void finished(long auditId, String outcome, String detail, String sessionId) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE audit_log SET outcome = ?, detail = ?, finished_at = now(), "
                     + "session_id = COALESCE(?, session_id) WHERE id = ?")) {
            ps.setString(1, outcome);
            ps.setString(2, cap(detail, MAX_DETAIL));
            ps.setString(3, sessionId);
            ps.setLong(4, auditId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not complete the audit record", e);
        }
    }

    /** Records a request refused before any session was asked for. */
    public void rejected(AuditOperation operation, UUID apiKeyId, String accountRef, String detail) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log "
                     + "(operation, api_key_id, account_ref, outcome, detail, finished_at) VALUES (?, ?, ?, ?, ?, now())")) {
            ps.setString(1, operation.name());
            ps.setObject(2, apiKeyId);
            ps.setString(3, cap(accountRef, MAX_REF));
            ps.setString(4, REJECTED);
            ps.setString(5, cap(detail, MAX_DETAIL));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the audit record", e);
        }
    }

    private void update(String sql, String value, long auditId) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, value);
            ps.setLong(2, auditId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not update the audit record", e);
        }
    }

    private static String cap(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
