package io.mpcsystem.e2e.containers;

import io.mpcsystem.cli.up.LocalCluster;
import io.mpcsystem.cli.up.LocalTls;
import io.mpcsystem.operator.desired.PodHardening;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The whole system in containers on a bridge network of its own, from the images built here: the
 * coordinator, the router, three parties and the account service, each run as the operator runs
 * its pods (uid 10001, read-only root file system with a writable /tmp, every capability
 * dropped, no privilege escalation, TLS from mounted PEM files), with PostgreSQL and Redis from
 * Debian's packages. The services find each other by name; only their HTTP ports are published,
 * on loopback. Everything it made is removed by {@link #close()}.
 */
final class ContainerSystem implements AutoCloseable {
    static final int PARTIES = 3;
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String TLS_DIR = "/etc/mpc/tls";
    private static final String DB_USER = "mpc_user";
    private static final String DB_NAME = "mpc_system";

    private final Docker docker;
    private final Map<String, String> images;
    private final String prefix = "mpc-ct-" + HexFormat.of().formatHex(random(3));
    private final String network = prefix;
    private final List<String> containers = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private final LocalCluster.ClusterSecrets secrets = LocalCluster.ClusterSecrets.fresh();
    private final String dbPassword = token();
    private final String apiKey = token();
    private final Map<String, String> masterKeys = new LinkedHashMap<>();
    private final LocalTls tls;
    private final Path work;
    private final HttpClient http;

    /**
     * @param images module name (session-coordinator, message-router, server-party, account-service, infra) to a loaded image
     * @param work   a directory for the TLS files the containers mount
     */
    ContainerSystem(Docker docker, Map<String, String> images, Path work) {
        this.docker = docker;
        this.work = work;
        this.images = images;
        List<String> names = new ArrayList<>(List.of("session-coordinator", "message-router", "account-service"));
        for (int i = 1; i <= PARTIES; i++) names.add(party(i));
        this.tls = LocalTls.ensure(work.resolve(prefix + "-tls"), names);
        try {
            // the containers' user (10001) reads the key, as from a Secret volume; a key for this run only
            Files.setPosixFilePermissions(tls.key(), PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.http = HttpClient.newBuilder().sslContext(tls.sslContext()).connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 1; i <= PARTIES; i++) masterKeys.put(party(i), HexFormat.of().formatHex(random(32)));
    }

    static String party(int i) {
        return "server-party-" + i;
    }

    String apiKey() {
        return apiKey;
    }

    LocalTls tls() {
        return tls;
    }

    void start(Duration readyTimeout) {
        docker.run("network", "create", network);
        String infra = images.get("infra");
        List<String> postgres = new ArrayList<>(List.of("--user", "postgres"));
        postgres.addAll(envFile("postgres", Map.of("POSTGRES_USER", DB_USER, "POSTGRES_PASSWORD", dbPassword, "POSTGRES_DB", DB_NAME)));
        run("postgres", postgres, infra, "mpc-postgres");
        run("redis", List.of("--user", "redis"), infra, "mpc-redis");
        await("PostgreSQL", readyTimeout, () -> docker.status("exec", name("postgres"), "/usr/lib/postgresql/15/bin/pg_isready", "-h", "127.0.0.1", "-d", DB_NAME, "-U", DB_USER) == 0);
        await("Redis", readyTimeout, () -> docker.status("exec", name("redis"), "redis-cli", "ping") == 0);

        service("session-coordinator", with(database(), redis(), Map.of("MPC_CALLER_TOKEN_ACCOUNT", secrets.accountToken(),
                "MPC_CALLER_TOKEN_OPERATOR", secrets.operatorToken())), List.of());
        service("message-router", redis(), List.of());
        awaitReady("session-coordinator", readyTimeout);
        awaitReady("message-router", readyTimeout);
        for (int i = 1; i <= PARTIES; i++) {
            String id = party(i);
            String volume = prefix + "-" + id;
            docker.run("volume", "create", volume);
            volumes.add(volume);
            service(id, Map.of("PARTY_ID", id, "SESSION_COORDINATOR_ADDR", "session-coordinator:50051", "MESSAGE_ROUTER_ADDR", "message-router:50051",
                    "MPC_CRYPTO_MASTER_KEY", masterKeys.get(id), "MPC_REQUEST_VERIFY_KEY", secrets.verifyKey()),
                    List.of("-v", volume + ":/data/keyshares"));
        }
        service("account-service", with(database(), redis(), Map.of("SESSION_COORDINATOR_ADDR", "session-coordinator:50051", "MPC_BOOTSTRAP_API_KEY", apiKey,
                "MPC_COORDINATOR_TOKEN", secrets.accountToken(), "MPC_REQUEST_SIGNING_KEY", secrets.signingKey())), List.of());
        for (int i = 1; i <= PARTIES; i++) awaitReady(party(i), readyTimeout);
        awaitReady("account-service", readyTimeout);
    }

    /** The account service's URL on the host. */
    String accountUrl() {
        return "https://127.0.0.1:" + hostPort("account-service");
    }

    String name(String service) {
        return prefix + "-" + service;
    }

    void kill(String service) {
        docker.run("kill", name(service));
    }

    /** A new container in place of a killed one, as a StatefulSet makes a new pod: the same settings and volume, nothing else kept. */
    void replace(String service) {
        docker.run("rm", "-f", name(service));
        docker.run(commands.get(service).toArray(String[]::new));
    }

    /** Stops a container as Kubernetes does (SIGTERM, then SIGKILL after the grace period) and gives its exit code. */
    int stop(String service) {
        docker.run("stop", "--time", String.valueOf(PodHardening.TERMINATION_GRACE_SECONDS), name(service));
        return Integer.parseInt(docker.run("inspect", "--format", "{{.State.ExitCode}}", name(service)));
    }

    String logs(String service, int lines) {
        try {
            return docker.run("logs", "--tail", String.valueOf(lines), name(service));
        } catch (IllegalStateException ex) {
            return ex.getMessage();
        }
    }

    /** The last lines of every container's log, for a failing test. */
    String logTails() {
        StringBuilder b = new StringBuilder();
        for (String c : containers) b.append("----- ").append(c).append(" -----\n").append(logs(c.substring(prefix.length() + 1), 30)).append('\n');
        return b.toString();
    }

    /** Whether the coordinator still counts a party online (its presence key in Redis). */
    boolean online(String party) {
        return "1".equals(docker.run("exec", name("redis"), "redis-cli", "EXISTS", "mpc:coordinator:presence:" + party));
    }

    void awaitOffline(String party, Duration timeout) {
        await(party + " offline at the coordinator", timeout, () -> !online(party));
    }

    boolean ready(String service) {
        try {
            String port = hostPort(service);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void awaitReady(String service, Duration timeout) {
        await(service + " /health/ready", timeout, () -> ready(service));
    }

    private String hostPort(String service) {
        String mapping = docker.run("port", name(service), "8080/tcp").lines().findFirst().orElseThrow();
        return mapping.substring(mapping.lastIndexOf(':') + 1);
    }

    private void service(String service, Map<String, String> env, List<String> extra) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("MPC_PARTY_IDS", String.join(",", List.of(party(1), party(2), party(3))));
        all.put("LOG_LEVEL", "INFO");
        all.put("JAVA_TOOL_OPTIONS", PodHardening.JAVA_TOOL_OPTIONS);
        all.put("MPC_TLS_CERT_FILE", TLS_DIR + "/tls.crt");
        all.put("MPC_TLS_KEY_FILE", TLS_DIR + "/tls.key");
        all.put("MPC_TLS_CA_FILE", TLS_DIR + "/ca.crt");
        all.put("MPC_TLS_INSECURE_REQUESTS", "disabled");
        all.put("QUARKUS_HTTP_SSL_PORT", "8080");
        List<String> args = new ArrayList<>(List.of(
                // as the operator's pods run (PodHardening): an emptyDir at /tmp is writable and allows exec (netty's native library)
                "--user", PodHardening.UID + ":" + PodHardening.UID, "--read-only", "--tmpfs", PodHardening.TMP_DIR + ":rw,exec,nosuid,nodev,size=256m,mode=1777",
                "--cap-drop", "ALL", "--security-opt", "no-new-privileges", "-v", tls.ca().getParent() + ":" + TLS_DIR + ":ro",
                "-p", "127.0.0.1::8080"));
        args.addAll(envFile(service, all));
        args.addAll(extra);
        String image = images.get(service.startsWith("server-party-") ? "server-party" : service);
        run(service, args, image);
    }

    private void run(String service, List<String> args, String image, String... command) {
        List<String> cmd = new ArrayList<>(List.of("run", "-d", "--name", name(service), "--network", network, "--network-alias", service));
        cmd.addAll(args);
        cmd.add(image);
        cmd.addAll(List.of(command));
        containers.add(name(service));
        commands.put(service, cmd);
        docker.run(cmd.toArray(String[]::new));
    }

    /** Keys and passwords go by a file only its owner reads, never on a command line that other processes can see. */
    private List<String> envFile(String service, Map<String, String> env) {
        Path file = work.resolve(prefix + "-" + service + ".env");
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            StringBuilder lines = new StringBuilder();
            env.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
            Files.writeString(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the environment of " + service, e);
        }
        return List.of("--env-file", file.toString());
    }

    private Map<String, String> database() {
        return Map.of("MPC_DATABASE_HOST", "postgres", "MPC_DATABASE_PORT", "5432", "MPC_DATABASE_USER", DB_USER, "MPC_DATABASE_PASSWORD", dbPassword,
                "MPC_DATABASE_DBNAME", DB_NAME);
    }

    private static Map<String, String> redis() {
        return Map.of("MPC_REDIS_HOST", "redis", "MPC_REDIS_PORT", "6379");
    }

    @SafeVarargs
    private static Map<String, String> with(Map<String, String>... maps) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, String> m : maps) out.putAll(m);
        return out;
    }

    private void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(500)).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(what + " not within " + timeout.toSeconds() + " s\n" + logTails());
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String token() {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
    }

    @Override
    public void close() {
        for (int i = containers.size() - 1; i >= 0; i--) docker.status("rm", "-f", "-v", containers.get(i));
        for (String v : volumes) docker.status("volume", "rm", "-f", v);
        docker.status("network", "rm", network);
        // this run's keys: the environment files and the TLS directory
        try (var files = Files.walk(work)) {
            for (Path f : files.filter(f -> f.toString().contains(prefix)).sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        } catch (IOException e) {
            // under target/: a clean build removes it
        }
    }
}
