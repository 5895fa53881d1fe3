package io.mpcsystem.e2e.controlplane;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.mpcsystem.cli.up.PortPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A real Kubernetes control plane on loopback, built from Go modules by
 * {@code e2e/controlplane/build.sh}: etcd, kube-apiserver (RBAC and Node authorization, the default
 * admission plugins with PodSecurity, service-account token signing), kube-controller-manager
 * (the real Deployment, StatefulSet, ReplicaSet, garbage-collector and namespace controllers),
 * kube-scheduler, and kwok making a few fake nodes whose pods become Ready once bound. Also a
 * Vault dev server with TLS. Everything it starts is stopped by {@link #close()}, also from a
 * shutdown hook should the JVM end first.
 */
public final class ControlPlane implements AutoCloseable {
    public static final String BIN_ENV = "MPC_CONTROLPLANE_BIN";
    public static final int NODES = 3;
    /** The tag of a party image that never becomes ready (see {@link #stages()}). */
    public static final String NEVER_READY_TAG = "never-ready";
    static final String NEVER_READY_IMAGE = "mpc-system/server-party:" + NEVER_READY_TAG;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path bin;
    private final Path dir;
    private final List<ChildProcess> processes = new ArrayList<>();
    private final String adminToken;
    private final Thread shutdownHook = new Thread(this::stopAll, "control-plane-stop");
    private int apiPort;
    private KubernetesClient admin;
    private VaultDevServer vault;
    private Duration startup;

    private ControlPlane(Path bin, Path dir) {
        this.bin = bin;
        this.dir = dir;
        byte[] t = new byte[24];
        new SecureRandom().nextBytes(t);
        this.adminToken = HexFormat.of().formatHex(t);
    }

    /** The binaries' directory from {@value #BIN_ENV} (what build.sh printed), or a clear failure. */
    public static Path binaries() {
        String b = System.getenv(BIN_ENV);
        if (b == null || b.isBlank()) {
            throw new IllegalStateException(BIN_ENV + " is not set: run `export " + BIN_ENV + "=$(e2e/controlplane/build.sh)` first (see e2e/README.md)");
        }
        Path p = Path.of(b);
        for (String program : List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok", "vault")) {
            if (!Files.isExecutable(p.resolve(program))) throw new IllegalStateException(p + " has no " + program + ": run e2e/controlplane/build.sh");
        }
        return p;
    }

    public static ControlPlane start(Path workDir) {
        long t0 = System.nanoTime();
        ControlPlane cp;
        try {
            Files.createDirectories(workDir);
            cp = new ControlPlane(binaries(), Files.createTempDirectory(workDir, "controlplane-").toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(cp.shutdownHook);
        try {
            cp.startAll();
        } catch (RuntimeException | Error e) {
            System.err.println(cp.logTails());
            cp.close();
            throw e;
        }
        cp.startup = Duration.ofNanos(System.nanoTime() - t0);
        System.err.println("control plane: ready in " + cp.startup.toMillis() + " ms (" + cp.dir + ")");
        return cp;
    }

    private void startAll() {
        try {
            // etcd client, etcd peer, apiserver, controller-manager, scheduler, kwok (vault finds its own pair)
            List<Integer> ports = PortPlan.freePorts(6);
            Path logs = Files.createDirectories(dir.resolve("logs"));
            Path certs = Files.createDirectories(dir.resolve("apiserver-certs"));
            // a certificate of our own: the one the API server would make names either loopback or the
            // advertised address, and this one is reached at both (tests on loopback, pods of a
            // RealNode at the host's address through the kubernetes Service's cluster IP)
            String advertise = hostAddress().orElse("127.0.0.1");
            var tls = io.mpcsystem.cli.up.LocalTls.ensure(certs, List.of(advertise, "10.96.0.1", "kubernetes", "kubernetes.default",
                    "kubernetes.default.svc", "kubernetes.default.svc.cluster.local"));
            writeServiceAccountKeys();
            Files.writeString(dir.resolve("tokens.csv"), adminToken + ",mpc-e2e-admin,mpc-e2e-admin,\"system:masters\"\n");

            String etcdUrl = "http://127.0.0.1:" + ports.get(0);
            processes.add(ChildProcess.start("etcd", logs, List.of(bin.resolve("etcd").toString(),
                    "--data-dir=" + dir.resolve("etcd"), "--listen-client-urls=" + etcdUrl, "--advertise-client-urls=" + etcdUrl,
                    "--listen-peer-urls=http://127.0.0.1:" + ports.get(1), "--initial-advertise-peer-urls=http://127.0.0.1:" + ports.get(1),
                    "--initial-cluster=default=http://127.0.0.1:" + ports.get(1), "--unsafe-no-fsync", "--log-level=warn")));
            HttpClient plain = HttpClient.newHttpClient();
            await("etcd", () -> ok(plain, URI.create(etcdUrl + "/health"), null));

            apiPort = ports.get(2);
            processes.add(ChildProcess.start("kube-apiserver", logs, List.of(bin.resolve("kube-apiserver").toString(),
                    "--etcd-servers=" + etcdUrl, "--bind-address=" + ("127.0.0.1".equals(advertise) ? advertise : "0.0.0.0"),
                    "--advertise-address=" + advertise, "--secure-port=" + apiPort, "--tls-cert-file=" + tls.cert(),
                    "--tls-private-key-file=" + tls.key(), "--token-auth-file=" + dir.resolve("tokens.csv"),
                    "--authorization-mode=Node,RBAC", "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
                    "--service-account-key-file=" + dir.resolve("sa.pub"), "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                    "--service-cluster-ip-range=10.96.0.0/16", "--allow-privileged=false", "--profiling=false", "-v=1")));
            Path ca = tls.ca();
            await("kube-apiserver", () -> Files.exists(ca) && ok(Tls.httpClient(ca), URI.create(apiServer() + "/readyz"), adminToken));

            Path kubeconfig = dir.resolve("admin.kubeconfig");
            Files.writeString(kubeconfig, kubeconfig(adminToken));
            processes.add(ChildProcess.start("kube-controller-manager", logs, List.of(bin.resolve("kube-controller-manager").toString(),
                    "--kubeconfig=" + kubeconfig, "--authentication-kubeconfig=" + kubeconfig, "--authorization-kubeconfig=" + kubeconfig,
                    "--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port=" + ports.get(3),
                    "--service-account-private-key-file=" + dir.resolve("sa.key"), "--root-ca-file=" + ca,
                    "--use-service-account-credentials=false", "--concurrent-statefulset-syncs=10", "-v=1")));
            processes.add(ChildProcess.start("kube-scheduler", logs, List.of(bin.resolve("kube-scheduler").toString(),
                    "--kubeconfig=" + kubeconfig, "--authentication-kubeconfig=" + kubeconfig, "--authorization-kubeconfig=" + kubeconfig,
                    "--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port=" + ports.get(4), "-v=1")));
            List<String> kwok = new ArrayList<>(List.of(bin.resolve("kwok").toString(), "--kubeconfig=" + kubeconfig,
                    // only the fake nodes: a real kubelet (RealNode) may join the same control plane
                    "--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake", "--server-address=127.0.0.1:" + ports.get(5), "--node-ip=127.0.0.1",
                    // the heartbeat stage renews a node's status only every 10-20 minutes and counts on its Lease: without
                    // this flag kwok keeps no Lease, the node lifecycle controller marks every node NotReady after 50 s
                    // (and every pod on it not ready) until kwok initializes it again, a minute-long flap seen under load
                    "--node-lease-duration-seconds=40"));
            for (Path s : stages()) kwok.add("--config=" + s);
            processes.add(ChildProcess.start("kwok", logs, kwok));

            admin = new KubernetesClientBuilder().withConfig(config(adminToken)).build();
            for (int i = 1; i <= NODES; i++) {
                String name = "kwok-node-" + i;
                admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                        .withLabels(Map.of("kubernetes.io/hostname", name, "kubernetes.io/os", "linux", "type", "kwok",
                                "topology.kubernetes.io/zone", "zone-" + i))
                        .withAnnotations(Map.of("kwok.x-k8s.io/node", "fake")).endMetadata().build()).create();
            }
            await("kwok nodes Ready", () -> admin.nodes().list().getItems().stream().filter(n -> n.getStatus() != null
                    && n.getStatus().getConditions() != null
                    && n.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                    .count() == NODES);
            // a node without a Lease goes NotReady within a minute (see --node-lease-duration-seconds above)
            await("kwok nodes' Leases", () -> admin.leases().inNamespace("kube-node-lease").list().getItems().size() == NODES);
            await("default ServiceAccount", () -> admin.serviceAccounts().inNamespace("default").withName("default").get() != null);

            vault = VaultDevServer.start(bin.resolve("vault"), dir.resolve("vault"), logs, processes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * kwok's stages as the module ships them, but a party pod whose image is {@value #NEVER_READY_IMAGE}
     * never becomes ready: a release that is broken, for the rollout tests.
     */
    private List<Path> stages() throws IOException {
        Path out = Files.createDirectories(dir.resolve("stages"));
        List<Path> files = new ArrayList<>();
        try (var stages = Files.list(bin.resolve("stages"))) {
            for (Path s : stages.sorted().toList()) {
                String text = Files.readString(s);
                if (s.getFileName().toString().equals("pod-ready.yaml")) {
                    String anchor = "    matchExpressions:\n";
                    if (!text.contains(anchor)) throw new IllegalStateException(s + " has no matchExpressions to extend");
                    text = text.replace(anchor, anchor + "    - key: '.spec.containers.[0].image'\n      operator: 'NotIn'\n      values:\n      - '"
                            + NEVER_READY_IMAGE + "'\n");
                }
                files.add(Files.writeString(out.resolve(s.getFileName()), text));
            }
        }
        return files;
    }

    private void writeServiceAccountKeys() throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair kp = g.generateKeyPair();
            Files.writeString(dir.resolve("sa.key"), pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
            Files.writeString(dir.resolve("sa.pub"), pem("PUBLIC KEY", kp.getPublic().getEncoded()));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static boolean ok(HttpClient http, URI uri, String token) {
        try {
            HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET();
            if (token != null) r.header("Authorization", "Bearer " + token);
            return http.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void await(String what, BooleanSupplier ready) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            for (ChildProcess p : processes) p.requireAlive();
            try {
                if (ready.getAsBoolean()) return;
            } catch (RuntimeException e) {
                // not yet: the API server answers errors while it starts
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException(what + " not ready within " + START_TIMEOUT.toSeconds() + " s");
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what);
            }
        }
    }

    /** This host's first IPv4 address besides loopback (and the bridges of Docker and of RealNode), if it has one. */
    static java.util.Optional<String> hostAddress() {
        try {
            for (java.net.NetworkInterface i : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (i.isLoopback() || !i.isUp() || i.getName().startsWith("docker") || i.getName().startsWith("mpcbr") || i.getName().startsWith("br-")) continue;
                for (var a : java.util.Collections.list(i.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address) return java.util.Optional.of(a.getHostAddress());
                }
            }
        } catch (IOException e) {
            // none found
        }
        return java.util.Optional.empty();
    }

    public String apiServer() {
        return "https://127.0.0.1:" + apiPort;
    }

    public Path caFile() {
        return dir.resolve("apiserver-certs").resolve("ca.crt");
    }

    public Path workDir() {
        return dir;
    }

    public Duration startup() {
        return startup;
    }

    /** A client as cluster-admin (system:masters), for setting up and inspecting. */
    public KubernetesClient admin() {
        return admin;
    }

    public VaultDevServer vault() {
        return vault;
    }

    /** A client configuration authenticating with {@code token} (e.g. a ServiceAccount's). */
    public Config config(String token) {
        return new ConfigBuilder(Config.empty()).withMasterUrl(apiServer()).withCaCertFile(caFile().toString())
                .withOauthToken(token).withRequestTimeout(30_000).withConnectionTimeout(10_000).build();
    }

    /** A kubeconfig file for programs (helm) that authenticate with {@code token}. */
    public Path kubeconfigFile(String name, String token) {
        try {
            return Files.writeString(dir.resolve(name + ".kubeconfig"), kubeconfig(token));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path adminKubeconfig() {
        return dir.resolve("admin.kubeconfig");
    }

    private String kubeconfig(String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: e2e
                  cluster:
                    server: %s
                    certificate-authority: %s
                users:
                - name: e2e
                  user:
                    token: %s
                contexts:
                - name: e2e
                  context:
                    cluster: e2e
                    user: e2e
                current-context: e2e
                """.formatted(apiServer(), caFile(), token);
    }

    /** The last lines of every program's log, for a failed test. */
    public String logTails() {
        StringBuilder b = new StringBuilder();
        for (ChildProcess p : processes) {
            b.append("----- ").append(p.name()).append(p.alive() ? "" : " (exited)").append(", last 30 lines -----\n").append(p.tail(30)).append('\n');
        }
        return b.toString();
    }

    private void stopAll() {
        if (admin != null) admin.close();
        // the reverse of the start order: no controller sees its API server vanish first
        for (int i = processes.size() - 1; i >= 0; i--) processes.get(i).close();
    }

    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs anyway
        }
    }
}
