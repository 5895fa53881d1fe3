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

    Requests requests();

    RateLimit rateLimit();

    interface Requests {
        /**
         * MPC_REQUEST_SIGNING_KEY: base64 PKCS#8 Ed25519 private key that signs every KEYGEN and
         * SIGN request for the parties (they pin its public key). Required; never logged.
         */
        Optional<String> signingKey();

        /** How long a signed request authorization stays valid (MPC_REQUEST_AUTHORIZATION_TTL). */
        @WithDefault("120s")
        Duration authorizationTtl();
    }

    interface RateLimit {
        /** MPC_RATE_LIMIT_PER_SECOND: requests per second each tenant (all its API keys together) may make, sustained. */
        @WithDefault("200")
        double perSecond();

        /** MPC_RATE_LIMIT_BURST: how many requests a tenant may make at once after a quiet spell. */
        @WithDefault("400")
        int burst();

        /** MPC_RATE_LIMIT_KEYGEN_COST: how many requests' worth a key generation takes (it costs the parties far more than a signature). */
        @WithDefault("20")
        int keygenCost();

        /** MPC_RATE_LIMIT_UNAUTHENTICATED_PER_SECOND: requests per second without a valid API key, all callers together. */
        @WithDefault("20")
        double unauthenticatedPerSecond();

        /** MPC_RATE_LIMIT_UNAUTHENTICATED_BURST */
        @WithDefault("40")
        int unauthenticatedBurst();

        /** MPC_REDIS_HOST: when set, the buckets live in that Redis, shared by every replica. */
        Optional<String> redisHost();
    }

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

        /**
         * MPC_COORDINATOR_TOKEN: the bearer token the coordinator knows this service by (it grants
         * KEYGEN and SIGN). Required; never logged.
         */
        Optional<String> token();
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
