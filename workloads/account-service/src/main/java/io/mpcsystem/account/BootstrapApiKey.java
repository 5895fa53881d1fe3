package io.mpcsystem.account;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Registers MPC_BOOTSTRAP_API_KEY at start-up so a fresh installation has one working key. */
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
            keys.registerIfAbsent(ApiKeyHash.of(key), "bootstrap");
            LOG.info("bootstrap API key registered");
        });
    }
}
