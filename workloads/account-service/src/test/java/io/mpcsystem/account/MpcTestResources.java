package io.mpcsystem.account;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real PostgreSQL (embedded binaries) and a protocol-running test coordinator on a free loopback port. */
public class MpcTestResources implements QuarkusTestResourceLifecycleManager {
    /** What an operator would put in MPC_BOOTSTRAP_API_KEY. */
    public static final String API_KEY = "test-bootstrap-key-0123456789abcdefghijklmnopqrstuvwxyz";
    /** What an operator would put in MPC_COORDINATOR_TOKEN (and the coordinator expects of the service). */
    public static final String COORDINATOR_TOKEN = "test-coordinator-token-9f1c2e7a4b5d6c8e0a1b2c3d4e5f6a7b";

    private EmbeddedPostgres postgres;
    private TestCoordinator coordinator;
    private Server server;
    private String signingKey;

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
            // MPC_REQUEST_SIGNING_KEY for the service, its public key for the coordinator (as the parties pin it)
            String[] requestKeys = io.mpcsystem.proto.RequestAuthorizations.newKeyPair();
            signingKey = requestKeys[0];
            coordinator = new TestCoordinator(COORDINATOR_TOKEN, requestKeys[1]);
            server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .addService(io.grpc.ServerInterceptors.intercept(coordinator, coordinator.callerCheck()))
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?currentSchema=account",
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres",
                "mpc.coordinator.address", "127.0.0.1:" + server.getPort(),
                "mpc.auth.bootstrap-api-key", API_KEY,
                "mpc.coordinator.token", COORDINATOR_TOKEN,
                "mpc.requests.signing-key", signingKey);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(coordinator, new TestInjector.AnnotatedAndMatchesType(InjectTestCoordinator.class, TestCoordinator.class));
    }

    @Override
    public void stop() {
        try {
            if (server != null) server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            if (coordinator != null) coordinator.shutdown();
            if (postgres != null) postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
