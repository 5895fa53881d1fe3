package io.mpcsystem.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpcsystem.cli.up.LocalCluster;
import io.mpcsystem.cli.up.PortPlan;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mpc loadtest}: concurrent clients signing through the account service's REST API;
 * latency percentiles and signatures per second. A benchmark, not a test: it asserts nothing
 * about speed, it reports it.
 */
@Command(name = "loadtest", mixinStandardHelpOptions = true,
        description = "Drives POST /api/v1/accounts/{id}/signatures with concurrent clients and reports p50 / p90 / p99 latency and "
                + "signatures per second. --local starts the whole system for the run (like mpc up, on free ports).")
public final class LoadTestCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    AccountCommands.Connection connection = new AccountCommands.Connection();

    @Option(names = "--local", description = "start the system for this run and stop it afterwards")
    boolean local;

    @Option(names = "--clients", defaultValue = "8", description = "concurrent clients (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--signatures", defaultValue = "200", description = "signatures to request in all (default ${DEFAULT-VALUE})")
    int signatures;

    @Option(names = "--warmup", defaultValue = "20", description = "untimed signatures first (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Option(names = "--account", description = "sign with this existing secp256k1 account (default: create a new one), "
            + "e.g. one whose presignature pool is already full")
    String account;

    @Override
    public Integer call() throws Exception {
        if (clients < 1 || clients > 256) throw new CommandLine.ParameterException(spec.commandLine(), "--clients must be between 1 and 256");
        if (signatures < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--signatures must be at least 1");
        if (warmup < 0) throw new CommandLine.ParameterException(spec.commandLine(), "--warmup must not be negative");
        if (account != null && !account.matches("[A-Za-z0-9-]{1,64}")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--account must be an account id");
        }
        if (!local) return run(connection.client(spec.commandLine()));
        String apiKey = UpCommand.bootstrapApiKey();
        Path data = Files.createTempDirectory("mpc-loadtest-");
        try (LocalCluster cluster = LocalCluster.start(Home.path(), data, PortPlan.free(), apiKey, Map.of(), Duration.ofSeconds(120))) {
            return run(new AccountClient(cluster.accountUrl(), apiKey));
        }
    }

    private int run(AccountClient client) throws Exception {
        String account = this.account != null ? this.account : client.createAccount("secp256k1").get("id").asText();
        SecureRandom rnd = new SecureRandom();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            drive(client, account, rnd, pool, warmup);
            long t0 = System.nanoTime();
            List<Double> latencies = drive(client, account, rnd, pool, signatures);
            double seconds = (System.nanoTime() - t0) / 1e9;
            report(latencies, seconds);
            return 0;
        } finally {
            pool.shutdownNow();
        }
    }

    private List<Double> drive(AccountClient client, String account, SecureRandom rnd, ExecutorService pool, int count) throws Exception {
        AtomicInteger left = new AtomicInteger(count);
        List<Future<List<Double>>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                List<Double> mine = new ArrayList<>();
                byte[] hash = new byte[32];
                while (left.getAndDecrement() > 0) {
                    rnd.nextBytes(hash);
                    long t = System.nanoTime();
                    client.signHash(account, HexFormat.of().formatHex(hash));
                    mine.add((System.nanoTime() - t) / 1e6);
                }
                return mine;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<List<Double>> f : futures) all.addAll(f.get());
        return all;
    }

    private void report(List<Double> latencies, double seconds) {
        Collections.sort(latencies);
        double p50 = percentile(latencies, 50);
        double p90 = percentile(latencies, 90);
        double p99 = percentile(latencies, 99);
        double max = latencies.get(latencies.size() - 1);
        double rate = latencies.size() / seconds;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("clients", clients).put("signatures", latencies.size()).put("seconds", seconds).put("signaturesPerSecond", rate);
            o.putObject("latencyMs").put("p50", p50).put("p90", p90).put("p99", p99).put("max", max);
            out.println(o);
        } else {
            out.printf(Locale.ROOT, "%d signatures by %d concurrent clients in %.1f s: %.1f signatures/s%n", latencies.size(), clients, seconds, rate);
            out.printf(Locale.ROOT, "latency ms  p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", p50, p90, p99, max);
        }
        out.flush();
    }

    static double percentile(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
