package io.mpcsystem.cli.up;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The whole system on one machine: database and Redis, the session coordinator, the message
 * router, three server parties (each with its own key-encryption key and share directory) and
 * the account service, started in dependency order and stopped in reverse.
 */
public final class LocalCluster implements AutoCloseable {
    public static final int PARTIES = 3;

    private final LocalInfrastructure infrastructure;
    private final List<ServiceProcess> services;
    private final PortPlan ports;
    private final Path dataDir;
    private final LocalTls tls;
    private final ClusterSecrets secrets;

    private LocalCluster(LocalInfrastructure infrastructure, List<ServiceProcess> services, PortPlan ports, Path dataDir, LocalTls tls,
                         ClusterSecrets secrets) {
        this.secrets = secrets;
        this.infrastructure = infrastructure;
        this.services = services;
        this.ports = ports;
        this.dataDir = dataDir;
        this.tls = tls;
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * @param home    the repository root (where the services' jars are built)
     * @param dataDir keeps the database, the parties' shares and keys, and the logs
     * @param apiKey  the account service's bootstrap API key
     */
    public static LocalCluster start(Path home, Path dataDir, PortPlan ports, String apiKey, Map<String, String> env, Duration readyTimeout) {
        return start(home, dataDir, ports, apiKey, env, readyTimeout, false);
    }

    /** As above; with {@code tls}, every service serves gRPC and HTTP over TLS only, under a local CA kept in the data directory. */
    public static LocalCluster start(Path home, Path dataDir, PortPlan ports, String apiKey, Map<String, String> env, Duration readyTimeout, boolean tls) {
        LocalTls certs = tls ? LocalTls.ensure(dataDir.resolve("tls")) : null;
        LocalInfrastructure infra = LocalInfrastructure.start(dataDir, ports.postgres(), ports.redis(), env);
        ClusterSecrets secrets = ClusterSecrets.fresh();
        List<ServiceProcess> started = new ArrayList<>();
        try {
            Map<String, String> common = new HashMap<>(infra.endpoints().env());
            common.put("LOG_LEVEL", env.getOrDefault("LOG_LEVEL", "INFO"));
            // service tuning from the caller's environment (timeouts, retention); never keys or stores
            env.forEach((k, v) -> {
                if (k.startsWith("MPC_SESSION_") || k.startsWith("MPC_ACCOUNT_") || k.startsWith("MPC_ROUTER_")) common.put(k, v);
            });
            common.put("ENVIRONMENT", "local");
            // loopback only: a laptop's cluster is not a service for the network (MPC_BIND_HOST overrides)
            common.put("MPC_BIND_HOST", env.getOrDefault("MPC_BIND_HOST", "127.0.0.1"));
            common.put("MPC_PARTY_IDS", partyIds());
            Path logs = dataDir.resolve("logs");
            String coordinatorAddr = "localhost:" + ports.coordinatorGrpc();
            String routerAddr = "localhost:" + ports.routerGrpc();

            started.add(ServiceProcess.start("session-coordinator", jar(home, "session-coordinator"),
                    with(common, Map.of("QUARKUS_HTTP_PORT", str(ports.coordinatorHttp()), "QUARKUS_GRPC_SERVER_PORT", str(ports.coordinatorGrpc()),
                            "MPC_MANAGEMENT_PORT", str(ports.management().get(0)),
                            "MPC_CALLER_TOKEN_ACCOUNT", secrets.accountToken(), "MPC_CALLER_TOKEN_OPERATOR", secrets.operatorToken()),
                            tlsEnv(certs, ports.coordinatorHttp())),
                    ports.coordinatorHttp(), logs));
            started.add(ServiceProcess.start("message-router", jar(home, "message-router"),
                    with(common, Map.of("QUARKUS_HTTP_PORT", str(ports.routerHttp()), "QUARKUS_GRPC_SERVER_PORT", str(ports.routerGrpc()),
                            "MPC_MANAGEMENT_PORT", str(ports.management().get(1))),
                            tlsEnv(certs, ports.routerHttp())),
                    ports.routerHttp(), logs));
            for (ServiceProcess s : started) s.awaitReady(readyTimeout);

            List<ServiceProcess> parties = new ArrayList<>();
            for (int i = 1; i <= PARTIES; i++) {
                String id = "server-party-" + i;
                Path partyDir = dataDir.resolve(id);
                Map<String, String> penv = with(common, Map.of(
                        "PARTY_ID", id,
                        "SESSION_COORDINATOR_ADDR", coordinatorAddr,
                        "MESSAGE_ROUTER_ADDR", routerAddr,
                        "MPC_CRYPTO_MASTER_KEY", masterKey(partyDir),
                        "MPC_KEYSHARE_DIR", partyDir.resolve("keyshares").toString(),
                        "QUARKUS_HTTP_PORT", str(ports.partyHttp().get(i - 1)),
                        "MPC_MANAGEMENT_PORT", str(ports.management().get(2 + i)),
                        "MPC_REQUEST_VERIFY_KEY", secrets.verifyKey()), tlsEnv(certs, ports.partyHttp().get(i - 1)));
                parties.add(ServiceProcess.start(id, jar(home, "server-party"), penv, ports.partyHttp().get(i - 1), logs));
            }
            started.addAll(parties);
            ServiceProcess account = ServiceProcess.start("account-service", jar(home, "account-service"),
                    with(common, Map.of("SESSION_COORDINATOR_ADDR", coordinatorAddr, "MPC_BOOTSTRAP_API_KEY", apiKey,
                            "QUARKUS_HTTP_PORT", str(ports.accountHttp()), "QUARKUS_GRPC_SERVER_PORT", str(ports.accountGrpc()),
                            "MPC_MANAGEMENT_PORT", str(ports.management().get(2)),
                            "MPC_COORDINATOR_TOKEN", secrets.accountToken(), "MPC_REQUEST_SIGNING_KEY", secrets.signingKey()),
                            tlsEnv(certs, ports.accountHttp())),
                    ports.accountHttp(), logs);
            started.add(account);
            for (ServiceProcess p : parties) p.awaitReady(readyTimeout);
            account.awaitReady(readyTimeout);
            return new LocalCluster(infra, started, ports, dataDir, certs, secrets);
        } catch (RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) started.get(i).close();
            infra.close();
            throw e;
        }
    }

    private static Path jar(Path home, String module) {
        return home.resolve("workloads").resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>(base);
        m.putAll(extra);
        return m;
    }

    private static Map<String, String> with(Map<String, String> base, Map<String, String> extra, Map<String, String> more) {
        return with(with(base, extra), more);
    }

    private static Map<String, String> tlsEnv(LocalTls certs, int httpPort) {
        return certs == null ? Map.of() : certs.env(httpPort);
    }

    /** The local CA and certificate when started with TLS. */
    public java.util.Optional<LocalTls> tls() {
        return java.util.Optional.ofNullable(tls);
    }

    private static String str(int port) {
        return String.valueOf(port);
    }

    /**
     * Each party's own key-encryption key, made on first start and kept (owner-only) in its
     * directory. Good for a laptop; in Kubernetes the operator keeps them in Vault instead.
     */
    static String masterKey(Path partyDir) {
        try {
            Files.createDirectories(partyDir);
            Path file = partyDir.resolve("master-key");
            if (Files.exists(file)) return Files.readString(file).strip();
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            String hex = HexFormat.of().formatHex(k);
            Files.writeString(file, hex);
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system
            }
            return hex;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the key-encryption key of " + partyDir.getFileName(), e);
        }
    }

    /** The provisioned parties of a local cluster. */
    public static String partyIds() {
        java.util.StringJoiner ids = new java.util.StringJoiner(",");
        for (int i = 1; i <= PARTIES; i++) ids.add("server-party-" + i);
        return ids.toString();
    }

    /**
     * The credentials the services of one run share, made afresh at every start (all services
     * restart together): the coordinator's two caller tokens and the account service's
     * request-signing key pair. Never written to disk or shown.
     */
    public record ClusterSecrets(String accountToken, String operatorToken, String signingKey, String verifyKey) {
        public static ClusterSecrets fresh() {
            String[] pair = io.mpcsystem.proto.RequestAuthorizations.newKeyPair();
            return new ClusterSecrets(token(), token(), pair[0], pair[1]);
        }

        private static String token() {
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        }

        @Override
        public String toString() {
            return "ClusterSecrets[redacted]";
        }
    }

    /** For tools and tests that talk to the coordinator directly, as the account service or the operator would. */
    public ClusterSecrets secrets() {
        return secrets;
    }

    /** What a second coordinator replica of this cluster needs besides the infrastructure's endpoints. */
    public Map<String, String> coordinatorCredentialsEnv() {
        return Map.of("MPC_CALLER_TOKEN_ACCOUNT", secrets.accountToken(), "MPC_CALLER_TOKEN_OPERATOR", secrets.operatorToken(), "MPC_PARTY_IDS", partyIds());
    }

    /**
     * A coordinator REST body for a KEYGEN or SIGN session carrying the account service's
     * authorization, as the account service would send it.
     */
    public String authorizedBody(String kind, String protocol, int threshold, int parties, String keyId, byte[] message) {
        io.mpcsystem.proto.coordinator.v1.SessionKind k = io.mpcsystem.proto.coordinator.v1.SessionKind.valueOf(kind.toUpperCase(java.util.Locale.ROOT));
        var a = io.mpcsystem.proto.coordinator.v1.RequestAuthorization.newBuilder().setKind(k).setProtocol(protocol)
                .setRequestId(java.util.UUID.randomUUID().toString());
        io.mpcsystem.proto.RequestAuthorizations.validFor(a, java.time.Instant.now(), java.time.Duration.ofMinutes(2));
        if (k == io.mpcsystem.proto.coordinator.v1.SessionKind.SIGN) {
            a.setKeyId(keyId).setMessage(com.google.protobuf.ByteString.copyFrom(message)).setAccountId("local");
        } else {
            // the parties make the key only under the id the authorization names
            a.setThreshold(threshold).setParties(parties).setKeyId(keyId == null || keyId.isEmpty() ? "key-" + java.util.UUID.randomUUID() : keyId);
        }
        String auth = java.util.Base64.getEncoder().encodeToString(io.mpcsystem.proto.RequestAuthorizations.sign(a.build(),
                io.mpcsystem.proto.RequestAuthorizations.Signer.fromBase64(secrets.signingKey())).toByteArray());
        if (k == io.mpcsystem.proto.coordinator.v1.SessionKind.SIGN) {
            return "{\"kind\":\"sign\",\"protocol\":\"" + protocol + "\",\"keyId\":\"" + keyId + "\",\"message\":\"" + HexFormat.of().formatHex(message)
                    + "\",\"authorization\":\"" + auth + "\"}";
        }
        return "{\"kind\":\"keygen\",\"protocol\":\"" + protocol + "\",\"threshold\":" + threshold + ",\"parties\":" + parties
                + ",\"authorization\":\"" + auth + "\"}";
    }

    public String accountUrl() {
        return (tls == null ? "http" : "https") + "://localhost:" + ports.accountHttp();
    }

    public PortPlan ports() {
        return ports;
    }

    public LocalInfrastructure.Endpoints infrastructure() {
        return infrastructure.endpoints();
    }

    public List<ServiceProcess> services() {
        return List.copyOf(services);
    }

    /** The running service with this name (e.g. "server-party-1", "message-router"). */
    public ServiceProcess service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    /** Stops a service and starts it again with the same settings, waiting until it is ready. */
    public ServiceProcess restart(String name, Duration readyTimeout) {
        ServiceProcess old = service(name);
        old.close();
        ServiceProcess fresh = old.relaunch();
        services.set(services.indexOf(old), fresh);
        fresh.awaitReady(readyTimeout);
        return fresh;
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) services.get(i).close();
        infrastructure.close();
    }
}
