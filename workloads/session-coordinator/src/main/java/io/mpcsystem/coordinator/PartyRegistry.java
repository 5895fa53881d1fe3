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
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The provisioned parties ({@code MPC_PARTY_IDS}) and their identity public keys. The first
 * registration of an id pins its keys: a later one with other keys is refused, never stored, so
 * nobody can take a party's place by registering under its name. A party that lost its store for
 * good is re-provisioned by an operator deleting its row (docs/threat-model.md).
 */
@ApplicationScoped
public class PartyRegistry {
    /** A registered party. */
    public record Party(String partyId, byte[] signingKey, byte[] encryptionKey) {
    }

    private final AgroalDataSource db;
    private final java.util.Set<String> provisioned;

    public PartyRegistry(AgroalDataSource db, @ConfigProperty(name = "mpc.party.ids") Optional<List<String>> provisioned) {
        this.db = db;
        this.provisioned = java.util.Set.copyOf(provisioned.orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        if (this.provisioned.isEmpty()) LOG.warn("MPC_PARTY_IDS is not set: no party can register");
    }

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(PartyRegistry.class);

    public boolean isProvisioned(String partyId) {
        return provisioned.contains(partyId);
    }

    /**
     * Pins a provisioned party's keys on its first registration; afterwards only the same keys are
     * accepted (a restart), anything else is refused.
     */
    public void register(Party p) {
        if (!isProvisioned(p.partyId())) {
            throw CoordinatorException.denied("party " + p.partyId() + " is not one of the provisioned parties (MPC_PARTY_IDS)");
        }
        try (Connection c = db.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(
                    "INSERT INTO parties (party_id, signing_key, encryption_key) VALUES (?, ?, ?) ON CONFLICT (party_id) DO NOTHING")) {
                s.setString(1, p.partyId());
                s.setBytes(2, p.signingKey());
                s.setBytes(3, p.encryptionKey());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE parties SET last_seen_at = now() WHERE party_id = ? AND signing_key = ? AND encryption_key = ?")) {
                s.setString(1, p.partyId());
                s.setBytes(2, p.signingKey());
                s.setBytes(3, p.encryptionKey());
                if (s.executeUpdate() == 0) {
                    throw CoordinatorException.denied("party " + p.partyId() + " is registered with other identity keys; a party's identity is "
                            + "never replaced (re-provisioning: docs/threat-model.md)");
                }
            }
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
            while (r.next()) {
                // rows of parties no longer provisioned (or written before provisioning existed) never join a new key
                if (isProvisioned(r.getString(1))) out.add(new Party(r.getString(1), r.getBytes(2), r.getBytes(3)));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailable(e);
        }
    }
}
