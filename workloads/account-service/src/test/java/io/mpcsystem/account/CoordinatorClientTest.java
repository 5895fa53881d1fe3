package io.mpcsystem.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcsystem.proto.coordinator.v1.CreateSessionRequest;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An unreachable coordinator is a 503 the client may retry, not a 500 or a hang; no token, no start. */
class CoordinatorClientTest {
    @Test
    void unreachableCoordinatorIsServiceUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        CoordinatorClient client = new CoordinatorClient(config("127.0.0.1:" + closedPort, Optional.of("some-token")));
        try {
            assertThatThrownBy(() -> client.create(CreateSessionRequest.newBuilder().setKind(SessionKind.KEYGEN).build()))
                    .isInstanceOfSatisfying(ApiProblem.class, p -> {
                        assertThat(p.status()).isEqualTo(503);
                        assertThat(p.getMessage()).contains("unavailable");
                    });
        } finally {
            client.close();
        }
    }

    @Test
    void withoutACallerTokenTheServiceDoesNotStart() {
        for (Optional<String> missing : java.util.List.of(Optional.<String>empty(), Optional.of("  "))) {
            assertThatThrownBy(() -> new CoordinatorClient(config("127.0.0.1:1", missing)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("MPC_COORDINATOR_TOKEN")
                    .hasMessageContaining("is not set");
        }
    }

    static AccountConfig config(String address, Optional<String> token) {
        return new AccountConfig() {
            @Override
            public Coordinator coordinator() {
                return new Coordinator() {
                    @Override
                    public String address() {
                        return address;
                    }

                    @Override
                    public Duration callTimeout() {
                        return Duration.ofSeconds(2);
                    }

                    @Override
                    public Optional<String> token() {
                        return token;
                    }
                };
            }

            @Override
            public Accounts accounts() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Auth auth() {
                return Optional::empty;
            }

            @Override
            public Tls tls() {
                return Optional::empty;
            }

            @Override
            public Requests requests() {
                throw new UnsupportedOperationException();
            }

            @Override
            public RateLimit rateLimit() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
