package io.mpcsystem.account;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Optional;
import java.util.UUID;

/** The accounts table. */
@ApplicationScoped
public class AccountRepository {
    private final AgroalDataSource db;

    AccountRepository(AgroalDataSource db) {
        this.db = db;
    }

    public void insert(Account account, UUID createdBy, String keygenSession) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO accounts "
                     + "(id, curve, protocol, key_id, public_key, address, label, created_by, keygen_session, created_at, tenant) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, account.id());
            ps.setString(2, account.curve().id());
            ps.setString(3, account.curve().protocol());
            ps.setString(4, account.keyId());
            ps.setBytes(5, account.publicKey());
            ps.setString(6, account.address());
            ps.setString(7, account.label());
            ps.setObject(8, createdBy);
            ps.setString(9, keygenSession);
            ps.setTimestamp(10, Timestamp.from(account.createdAt()));
            ps.setString(11, account.tenant());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not store account " + account.id(), e);
        }
    }

    /**
     * Accounts never change once created (their tenant neither), and every signature reads its account: they are kept
     * here after the first read (up to a bound; past it the cache starts over).
     */
    private static final int CACHED_ACCOUNTS = 10_000;
    private final java.util.Map<UUID, Account> known = new java.util.concurrent.ConcurrentHashMap<>();

    public Optional<Account> find(UUID id) {
        Account cached = known.get(id);
        if (cached != null) return Optional.of(cached);
        Optional<Account> read = read(id);
        read.ifPresent(a -> {
            if (known.size() >= CACHED_ACCOUNTS) known.clear();
            known.put(id, a);
        });
        return read;
    }

    private Optional<Account> read(UUID id) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT id, tenant, curve, key_id, public_key, address, label, created_at FROM accounts WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Account(rs.getObject(1, UUID.class), rs.getString(2), Curve.byId(rs.getString(3)), rs.getString(4),
                        rs.getBytes(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read account " + id, e);
        }
    }
}
