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

    private EmbeddedPostgres postgres;
    private TestCoordinator coordinator;
    private Server server;

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
            coordinator = new TestCoordinator();
            server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .addService(coordinator)
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
                "mpc.auth.bootstrap-api-key", API_KEY);
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
