package io.mpcsystem.account;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The audit trail of signature requests: who (API key id, never the key) asked to sign what
 * (SHA-256 of the request) with which account, and how it ended. The row is written before the
 * session starts, so a crash mid-way still leaves the request on record.
 */
@ApplicationScoped
public class SignatureAudit {
    private final AgroalDataSource db;

    public SignatureAudit(AgroalDataSource db) {
        this.db = db;
    }

    public long requested(String apiKeyId, String accountId, byte[] request) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO signature_audit (api_key_id, account_id, request_sha256, outcome) VALUES (?, ?, ?, 'REQUESTED') RETURNING audit_id")) {
            s.setString(1, apiKeyId);
            s.setString(2, accountId);
            s.setBytes(3, sha256(request));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            throw new Problem(503, "audit store unavailable: the request was not made");
        }
    }

    public void finished(long auditId, String sessionId, String outcome, String detail) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE signature_audit SET session_id = ?, outcome = ?, detail = ?, finished_at = now() WHERE audit_id = ?")) {
            s.setString(1, sessionId);
            s.setString(2, outcome);
            s.setString(3, detail == null ? null : detail.substring(0, Math.min(detail.length(), 1000)));
            s.setLong(4, auditId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new Problem(503, "audit store unavailable");
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
