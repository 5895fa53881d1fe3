package io.mpcsystem.account;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * API keys, stored only as SHA-256 hashes (keys are long random strings, so a plain hash is
 * enough; no key can be read back from the table). The bootstrap key from MPC_BOOTSTRAP_API_KEY
 * is inserted at start-up.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    static final int MIN_LENGTH = 32;

    private final AgroalDataSource db;
    private final Optional<String> bootstrap;

    public ApiKeys(AgroalDataSource db, @ConfigProperty(name = "mpc.bootstrap-api-key") Optional<String> bootstrap) {
        this.db = db;
        this.bootstrap = bootstrap;
    }

    void onStart(@Observes StartupEvent e) throws SQLException {
        if (bootstrap.isEmpty() || bootstrap.get().isBlank()) return;
        String key = bootstrap.get().strip();
        if (key.length() < MIN_LENGTH) throw new IllegalStateException("MPC_BOOTSTRAP_API_KEY must be at least " + MIN_LENGTH + " characters");
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO api_keys (key_id, key_hash, name) VALUES ('bootstrap', ?, 'bootstrap') "
                        + "ON CONFLICT (key_id) DO UPDATE SET key_hash = EXCLUDED.key_hash, revoked_at = NULL")) {
            s.setBytes(1, hash(key));
            s.executeUpdate();
        }
        LOG.info("bootstrap API key installed");
    }

    /** The id of the key, if it is a valid, unrevoked one. */
    public Optional<String> authenticate(String presented) {
        if (presented == null || presented.length() < MIN_LENGTH || presented.length() > 512) return Optional.empty();
        byte[] h = hash(presented);
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT key_id, key_hash FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL")) {
            s.setBytes(1, h);
            try (ResultSet r = s.executeQuery()) {
                // the index lookup found it; compare again in constant time so the check never short-circuits on content
                if (r.next() && MessageDigest.isEqual(r.getBytes(2), h)) return Optional.of(r.getString(1));
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new Problem(503, "account store unavailable");
        }
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
