package io.mpcsystem.cli;

import io.mpcsystem.cli.up.LocalCluster;
import io.mpcsystem.cli.up.PortPlan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mpc up}: the whole system on this machine until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Starts PostgreSQL and Redis (embedded, or those named by MPC_DATABASE_* / MPC_REDIS_*), the session "
                + "coordinator, the message router, three server parties and the account service on the seed guide's ports, "
                + "and stops everything on Ctrl-C.")
public final class UpCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--tls", description = "serve gRPC and HTTP over TLS only, under a local CA kept in <data-dir>/tls")
    boolean tls;

    @Option(names = "--data-dir", defaultValue = ".mpc", description = "database, key shares, keys and logs (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        String apiKey = bootstrapApiKey();
        out.println("starting mpc-system (logs in " + dataDir.resolve("logs") + ") ...");
        out.flush();
        LocalCluster cluster = LocalCluster.start(Home.path(), dataDir, PortPlan.seedDefaults(), apiKey, System.getenv(), Duration.ofSeconds(120), tls);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "mpc-up-shutdown"));
        out.println("mpc-system is up");
        out.println("  account service  " + cluster.accountUrl() + "   (API key: " + apiKey + ")");
        String http = tls ? "https" : "http";
        out.println("  coordinator      " + http + "://localhost:8080  gRPC localhost:50051");
        out.println("  router           " + http + "://localhost:8081  gRPC localhost:50052");
        out.println("  parties          " + http + "://localhost:8082, :8084, :8085");
        cluster.tls().ifPresent(t -> out.println("  TLS              CA " + t.ca() + " (pass it with --ca-file)"));
        out.println("  database, redis  " + cluster.infrastructure());
        out.println("try:  ./mpc account create --api-key " + apiKey
                + cluster.tls().map(t -> " --url " + cluster.accountUrl() + " --ca-file " + t.ca()).orElse(""));
        out.println("Ctrl-C stops everything.");
        out.flush();
        stopped.await();
        return 0;
    }

    static String bootstrapApiKey() {
        String fromEnv = System.getenv("MPC_BOOTSTRAP_API_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) return fromEnv;
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return "mpc_" + HexFormat.of().formatHex(b);
    }
}
