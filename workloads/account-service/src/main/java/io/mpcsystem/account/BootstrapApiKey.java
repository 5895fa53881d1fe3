package io.mpcsystem.account;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.EnumSet;
import org.jboss.logging.Logger;

/**
 * Registers MPC_BOOTSTRAP_API_KEY at start-up so a fresh installation has one working key: an
 * admin of tenant 'default' with every scope, which creates the other keys. Once revoked it stays
 * revoked, even if the variable is still set.
 */
@ApplicationScoped
public class BootstrapApiKey {
    /** Shorter keys could be guessed; generated keys are 32 random bytes, at least 43 characters in base64. */
    static final int MIN_LENGTH = 32;
    private static final Logger LOG = Logger.getLogger(BootstrapApiKey.class);

    private final AccountConfig config;
    private final ApiKeyRepository keys;

    BootstrapApiKey(AccountConfig config, ApiKeyRepository keys) {
        this.config = config;
        this.keys = keys;
    }

    void register(@Observes StartupEvent event) {
        config.auth().bootstrapApiKey().map(String::trim).filter(k -> !k.isEmpty()).ifPresent(key -> {
            if (key.length() < MIN_LENGTH) {
                throw new IllegalStateException("MPC_BOOTSTRAP_API_KEY must be at least " + MIN_LENGTH + " characters of random data");
            }
            keys.registerIfAbsent(ApiKeyHash.of(key), "bootstrap", ApiKeyPrincipal.DEFAULT_TENANT, EnumSet.allOf(Scope.class));
            LOG.info("bootstrap API key registered");
        });
    }
}
