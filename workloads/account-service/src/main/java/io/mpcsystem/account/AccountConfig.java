package io.mpcsystem.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The service's own settings (prefix {@code mpc}); environment variables feed them in application.properties. */
@ConfigMapping(prefix = "mpc")
public interface AccountConfig {
    Coordinator coordinator();

    Accounts accounts();

    Auth auth();

    Tls tls();

    interface Tls {
        /** MPC_TLS_CA_FILE: when set, the coordinator is called over TLS and verified against this CA. */
        Optional<String> caFile();
    }

    interface Coordinator {
        /** host:port of the session coordinator's gRPC endpoint (SESSION_COORDINATOR_ADDR). */
        String address();

        /** Bound on each single gRPC call, so a hung coordinator cannot hold a worker thread. */
        @WithDefault("5s")
        Duration callTimeout();
    }

    interface Accounts {
        @WithDefault("2")
        int threshold();

        @WithDefault("3")
        int parties();

        /** How long a request waits for its keygen or sign session before answering 504. */
        @WithDefault("30s")
        Duration timeout();
    }

    interface Auth {
        /** MPC_BOOTSTRAP_API_KEY: registered (hashed) at start-up so the operator can hand out a first key. */
        Optional<String> bootstrapApiKey();
    }
}
