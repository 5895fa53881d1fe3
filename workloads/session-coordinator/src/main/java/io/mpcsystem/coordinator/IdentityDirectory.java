package io.mpcsystem.coordinator;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * Publishes each registered party's signing key (public) in Redis, where the message router
 * reads it to check that an envelope really comes from the party it names before storing it.
 * Written on every registration and again every minute from the database, so a flushed Redis
 * heals without the parties restarting.
 */
@ApplicationScoped
public class IdentityDirectory {
    private static final Logger LOG = Logger.getLogger(IdentityDirectory.class);
    private static final HexFormat HEX = HexFormat.of();

    private final RedisDataSource redis;
    private final PartyRegistry parties;

    public IdentityDirectory(RedisDataSource redis, PartyRegistry parties) {
        this.redis = redis;
        this.parties = parties;
    }

    /** The key the router reads; the same literal lives in the router's SenderIdentities. */
    static String key(String partyId) {
        return "mpc:identity:" + partyId;
    }

    void publish(PartyRegistry.Party p) {
        try {
            redis.value(String.class).set(key(p.partyId()), HEX.formatHex(p.signingKey()));
        } catch (RuntimeException e) {
            // the minute's republication catches up
            LOG.warnf("cannot publish the identity of %s for the router: %s", p.partyId(), e.getMessage());
        }
    }

    @Scheduled(every = "60s", delayed = "5s")
    void republish() {
        try {
            parties.all().forEach(this::publish);
        } catch (RuntimeException e) {
            LOG.debugf("cannot republish identities: %s", e.getMessage());
        }
    }
}
