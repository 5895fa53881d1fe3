package io.mpcsystem.account;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Accounts: which key, on which curve, belongs to which account id. */
@ApplicationScoped
public class AccountRepository {
    /** An account. */
    public record Account(String id, String curve, String protocol, String keyId, byte[] publicKey, String address, String label, Instant createdAt) {
    }

    private final AgroalDataSource db;

    public AccountRepository(AgroalDataSource db) {
        this.db = db;
    }

    public void insert(Account a, String createdBy) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO accounts (account_id, curve, protocol, key_id, public_key, address, label, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, a.id());
            s.setString(2, a.curve());
            s.setString(3, a.protocol());
            s.setString(4, a.keyId());
            s.setBytes(5, a.publicKey());
            s.setString(6, a.address());
            s.setString(7, a.label());
            s.setString(8, createdBy);
            s.setTimestamp(9, java.sql.Timestamp.from(a.createdAt()));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new Problem(503, "account store unavailable");
        }
    }

    public Optional<Account> find(String id) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT account_id, curve, protocol, key_id, public_key, address, label, created_at FROM accounts WHERE account_id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) return Optional.empty();
                return Optional.of(new Account(r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getBytes(5), r.getString(6),
                        r.getString(7), r.getTimestamp(8).toInstant()));
            }
        } catch (SQLException e) {
            throw new Problem(503, "account store unavailable");
        }
    }
}
