package io.mpcsystem.e2e.controlplane;

import io.fabric8.kubernetes.api.model.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real node joined to the {@link ControlPlane}: Debian's containerd and runc, the bridge CNI
 * plugin, and the kubelet built from the same Kubernetes module, so pods really start from the
 * images built here (imported into containerd: nothing is pulled). kube-proxy (iptables mode)
 * makes Service addresses work for the pods and for this host, and CoreDNS on the bridge's
 * gateway address answers the cluster's names ({@code <service>.<namespace>.svc.cluster.local}),
 * so pods find each other as they would in any cluster. As root only. Made to leave nothing
 * behind: no NAT for pods (they need only each other, the host and the API server), IPAM state,
 * containerd's state and every mount in its own directory; {@link #close()} kills the containers,
 * stops the programs, removes kube-proxy's rules ({@code kube-proxy --cleanup}), unmounts and
 * deletes the bridge.
 */
public final class RealNode implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(90);
    private final ControlPlane cp;
    private final Path dir;
    private final String name;
    private final String bridge;
    private final int subnet;
    private final List<ChildProcess> processes = new ArrayList<>();
    /** The network namespaces (containerd's bind mounts under /var/run/netns) there before this node: the others are its pods'. */
    private final java.util.Set<String> netnsBefore = new java.util.HashSet<>(networkNamespaces());
    private final Thread shutdownHook = new Thread(this::close, "real-node-stop");
    private boolean closed;

    private RealNode(ControlPlane cp, Path dir, String name, String bridge, int subnet) {
        this.cp = cp;
        this.dir = dir;
        this.name = name;
        this.bridge = bridge;
        this.subnet = subnet;
    }

    /** Why this machine cannot run a real node, if it cannot. */
    public static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) return Optional.of("a real node needs root (containerd, runc, mounts)");
        for (String p : List.of("/usr/bin/containerd", "/usr/bin/ctr", "/usr/sbin/runc", "/usr/sbin/iptables", "/usr/lib/cni/bridge", "/usr/lib/cni/host-local",
                "/usr/lib/cni/loopback")) {
            if (!Files.isExecutable(Path.of(p))) return Optional.of(p + " is missing (apt-get install containerd runc containernetworking-plugins)");
        }
        if (ControlPlane.hostAddress().isEmpty()) return Optional.of("no IPv4 address besides loopback: pods could not reach the API server");
        Path bin = ControlPlane.binaries();
        for (String p : List.of("kubelet", "kube-proxy", "coredns", "pause.tar")) {
            if (!Files.exists(bin.resolve(p))) return Optional.of(p + " is not in " + bin + " (build with MPC_CONTROLPLANE_NODE=1 e2e/controlplane/build.sh)");
        }
        return Optional.empty();
    }

    /** Starts containerd and the kubelet, imports the images (tarballs, docker-save or OCI), and waits until the node is Ready. */
    public static RealNode start(ControlPlane cp, List<Path> images) {
        byte[] rnd = new byte[3];
        new SecureRandom().nextBytes(rnd);
        String id = HexFormat.of().formatHex(rnd);
        Path dir;
        try {
            // short: containerd's socket path must fit a unix socket address
            dir = Files.createTempDirectory(Path.of("/tmp"), "mpc-node-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RealNode node = new RealNode(cp, dir, "real-node-" + id, "mpcbr" + id, 100 + new SecureRandom().nextInt(100));
        Runtime.getRuntime().addShutdownHook(node.shutdownHook);
        try {
            node.boot(images);
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** The bridge's own address: the pods' gateway, where CoreDNS answers. */
    public String gateway() {
        return "10." + subnet + ".0.1";
    }

    /** A directory on this node's disk, for hostPath volumes; removed by {@link #close()}. */
    public Path hostDirectory(String name, int ownerUid) {
        Path d = dir.resolve("volumes").resolve(name);
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("chown", ownerUid + ":" + ownerUid, d.toString());
        run("chmod", "0700", d.toString());
        return d;
    }

    private Path socket() {
        return dir.resolve("containerd.sock");
    }

    private void boot(List<Path> images) {
        Path bin = ControlPlane.binaries();
        Path logs = dir.resolve("logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write("containerd.toml", """
                version = 2
                root = "%1$s/containerd/root"
                state = "%1$s/containerd/state"
                [grpc]
                  address = "%2$s"
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "docker.io/mpc-system/pause:1"
                  # the kubelet asks -998 for every sandbox; where a process may not lower its OOM score
                  # (these machines: runc's init then dies with "can't get final child's PID"), keep ours
                  restrict_oom_score_adj = true
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "overlayfs"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "/usr/lib/cni"
                    conf_dir = "%1$s/cni"
                """.formatted(dir, socket()));
        write("cni/10-mpc.conflist", """
                {"cniVersion": "0.4.0", "name": "%1$s", "plugins": [{"type": "bridge", "bridge": "%1$s", "isGateway": true, "isDefaultGateway": true, "ipMasq": false,
                  "hairpinMode": true, "ipam": {"type": "host-local", "dataDir": "%2$s/ipam", "ranges": [[{"subnet": "10.%3$d.0.0/24"}]]}}]}
                """.formatted(bridge, dir, subnet));
        // traffic between pods crosses the bridge through iptables' FORWARD chain, whose policy Docker
        // sets to DROP: pods on this node may talk to each other (removed again by close())
        run("iptables", "-I", "FORWARD", "-i", bridge, "-o", bridge, "-j", "ACCEPT");
        // made here rather than by the CNI plugin on the first pod, so that CoreDNS can listen on its address first
        run("ip", "link", "add", bridge, "type", "bridge");
        run("ip", "addr", "add", gateway() + "/24", "dev", bridge);
        run("ip", "link", "set", bridge, "up");
        startDns(bin, logs);
        startProxy(bin, logs);
        processes.add(ChildProcess.start("containerd", logs, List.of("/usr/bin/containerd", "--config", dir.resolve("containerd.toml").toString())));
        await("containerd", Duration.ofSeconds(30), () -> ctr("version") == 0);
        import_(bin.resolve("pause.tar"));
        for (Path image : images) import_(image);

        write("kubelet.yaml", """
                apiVersion: kubelet.config.k8s.io/v1beta1
                kind: KubeletConfiguration
                # this machine's kernel mounts cgroup v1, which Kubernetes 1.35+ refuses unless told
                failCgroupV1: false
                cgroupDriver: cgroupfs
                containerRuntimeEndpoint: unix://%s
                authentication: {anonymous: {enabled: false}, webhook: {enabled: true}}
                authorization: {mode: Webhook}
                clusterDNS: [%s]
                clusterDomain: cluster.local
                failSwapOn: false
                port: %d
                healthzPort: 0
                readOnlyPort: 0
                resolvConf: /etc/resolv.conf
                podLogsDir: %s
                evictionHard: {"nodefs.available": "1%%", "imagefs.available": "1%%", "memory.available": "100Mi"}
                imageGCHighThresholdPercent: 100
                imageGCLowThresholdPercent: 99
                serializeImagePulls: false
                """.formatted(socket(), gateway(), io.mpcsystem.cli.up.PortPlan.freePorts(1).get(0), dir.resolve("pod-logs")));
        processes.add(ChildProcess.start("kubelet", logs, List.of(bin.resolve("kubelet").toString(), "--config=" + dir.resolve("kubelet.yaml"),
                "--kubeconfig=" + cp.adminKubeconfig(), "--root-dir=" + dir.resolve("kubelet"), "--hostname-override=" + name,
                "--node-ip=" + ControlPlane.hostAddress().orElseThrow(() -> new IllegalStateException("no IPv4 address besides loopback for the node")),
                "-v=1")));
        await("node " + name + " Ready", READY, () -> {
            Node n = cp.admin().nodes().withName(name).get();
            return n != null && n.getStatus() != null && n.getStatus().getConditions() != null
                    && n.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        });
    }

    /** CoreDNS serving the cluster's zone from the API server, on the gateway address the kubelet gives pods as their resolver. */
    private void startDns(Path bin, Path logs) {
        int health = io.mpcsystem.cli.up.PortPlan.freePorts(1).get(0);
        write("Corefile", """
                cluster.local:53 in-addr.arpa:53 {
                    bind %s
                    errors
                    health 127.0.0.1:%d
                    kubernetes cluster.local in-addr.arpa {
                        kubeconfig %s
                        pods insecure
                    }
                    cache 5
                }
                """.formatted(gateway(), health, cp.adminKubeconfig()));
        processes.add(ChildProcess.start("coredns", logs, List.of(bin.resolve("coredns").toString(), "-conf", dir.resolve("Corefile").toString())));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        await("CoreDNS", Duration.ofSeconds(30), () -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + health + "/health")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /**
     * kube-proxy in iptables mode: Service addresses (cluster IPs) lead to their pods, from pods and
     * from this host. It leaves the kernel's conntrack limits and route_localnet alone.
     */
    private void startProxy(Path bin, Path logs) {
        List<Integer> ports = io.mpcsystem.cli.up.PortPlan.freePorts(2);
        write("kube-proxy.yaml", """
                apiVersion: kubeproxy.config.k8s.io/v1alpha1
                kind: KubeProxyConfiguration
                clientConnection:
                  kubeconfig: %s
                hostnameOverride: %s
                mode: iptables
                clusterCIDR: 10.%d.0.0/24
                healthzBindAddress: 127.0.0.1:%d
                metricsBindAddress: 127.0.0.1:%d
                conntrack:
                  maxPerCore: 0
                iptables:
                  localhostNodePorts: false
                """.formatted(cp.adminKubeconfig(), name, subnet, ports.get(0), ports.get(1)));
        processes.add(ChildProcess.start("kube-proxy", logs, List.of(bin.resolve("kube-proxy").toString(), "--config=" + dir.resolve("kube-proxy.yaml"),
                "-v=1")));
    }

    /** Imports an image for the kubelet; an OCI archive's name gets docker.io/ as the kubelet normalizes it. */
    private void import_(Path tarball) {
        Path list = dir.resolve("import.out");
        if (ctr(list, "images", "import", "--all-platforms", tarball.toString()) != 0) throw new IllegalStateException("cannot import " + tarball + ": " + read(list));
        for (String line : read(list).lines().toList()) {
            // "unpacking mpc-system/message-router:0.1.0-SNAPSHOT (sha256:...)...done"
            if (!line.startsWith("unpacking ")) continue;
            String ref = line.substring("unpacking ".length(), line.indexOf(" (sha256:"));
            if (!ref.startsWith("docker.io/") && ref.indexOf('/') > 0 && !ref.substring(0, ref.indexOf('/')).contains(".")) {
                ctr("images", "tag", "--force", ref, "docker.io/" + ref);
            }
        }
    }

    private int ctr(String... args) {
        return ctr(dir.resolve("ctr.out"), args);
    }

    private int ctr(Path out, String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ctr", "--address", socket().toString(), "-n", "k8s.io"));
        Collections.addAll(cmd, args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private void write(String file, String content) {
        try {
            Path p = dir.resolve(file);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(500)).until(() -> {
                // a program that exited fails at once, with its log
                for (ChildProcess p : processes) p.requireAlive();
                try {
                    return condition.getAsBoolean();
                } catch (RuntimeException e) {
                    return false; // not yet
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(what + " not within " + timeout.toSeconds() + " s\n" + logTails());
        }
    }

    /** The last lines of every container's log on this node (the kubelet writes them below its directory), for a failed test. */
    public String podLogTails(int lines) {
        StringBuilder b = new StringBuilder();
        try (var files = Files.walk(dir.resolve("pod-logs"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".log")).sorted().toList()) {
                List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
                b.append("----- ").append(dir.resolve("pod-logs").relativize(f)).append(", last ").append(lines).append(" lines -----\n");
                all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> b.append(l).append('\n'));
            }
        } catch (IOException | UncheckedIOException e) {
            b.append("(pod logs: ").append(e.getMessage()).append(")\n");
        }
        return b.toString();
    }

    public String logTails() {
        StringBuilder b = new StringBuilder();
        for (ChildProcess p : processes) b.append("----- ").append(p.name()).append(", last 30 lines -----\n").append(p.tail(30)).append('\n');
        return b.toString();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // called by the hook itself
        }
        try {
            cp.admin().nodes().withName(name).delete();
        } catch (RuntimeException e) {
            // the control plane may be gone already
        }
        // the kubelet first (it would restart what is killed), then every container, then containerd and its shims
        for (int i = processes.size() - 1; i >= 0; i--) {
            if (processes.get(i).name().equals("kubelet")) processes.get(i).close();
        }
        Path containers = dir.resolve("containers.out");
        List<String> ids = Files.exists(socket()) && ctr(containers, "containers", "ls", "-q") == 0
                ? read(containers).lines().map(String::strip).filter(x -> !x.isEmpty()).toList() : List.of();
        Path tasks = dir.resolve("tasks.out");
        if (Files.exists(socket()) && ctr(tasks, "tasks", "ls", "-q") == 0) {
            for (String t : read(tasks).lines().map(String::strip).filter(s -> !s.isEmpty()).toList()) {
                ctr("tasks", "kill", "--signal", "SIGKILL", t);
            }
        }
        for (ChildProcess p : processes) if (!p.name().equals("kubelet")) p.close();
        ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.contains("containerd-shim") && c.contains(dir.toString())).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
        unmountAll();
        // a pod's network namespace outlives its sandbox as a bind mount, and keeps its veth with it
        for (String ns : networkNamespaces()) if (ns.startsWith("cni-") && !netnsBefore.contains(ns)) run("ip", "netns", "delete", ns);
        removeCniResults(ids);
        removePodCgroups();
        // every KUBE-* chain and rule kube-proxy made (it is stopped by now)
        run(ControlPlane.binaries().resolve("kube-proxy").toString(), "--cleanup");
        removeKubeletChains();
        run("ip", "link", "delete", bridge);
        run("iptables", "-D", "FORWARD", "-i", bridge, "-o", bridge, "-j", "ACCEPT");
        keepLogs();
        run("rm", "-rf", dir.toString());
    }

    /** The programs' and containers' logs, kept under target/real-node-logs for a look after the run (secrets never reach them: env files are not logged). */
    private void keepLogs() {
        Path keep = Path.of("target", "real-node-logs").toAbsolutePath();
        run("rm", "-rf", keep.toString());
        run("mkdir", "-p", keep.toString());
        run("cp", "-r", dir.resolve("logs").toString(), keep.resolve("programs").toString());
        run("cp", "-r", dir.resolve("pod-logs").toString(), keep.resolve("pods").toString());
    }

    private static List<String> networkNamespaces() {
        try (var files = Files.list(Path.of("/var/run/netns"))) {
            return files.map(f -> f.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The chains the kubelet makes and never removes: its loopback firewall, its canaries, the hint for kube-proxy. */
    private static void removeKubeletChains() {
        for (String tool : List.of("iptables", "ip6tables")) {
            run(tool, "-D", "INPUT", "-j", "KUBE-FIREWALL");
            run(tool, "-D", "OUTPUT", "-j", "KUBE-FIREWALL");
            run(tool, "-F", "KUBE-FIREWALL");
            run(tool, "-X", "KUBE-FIREWALL");
            for (String table : List.of("filter", "nat", "mangle")) run(tool, "-t", table, "-X", "KUBE-KUBELET-CANARY");
            run(tool, "-t", "mangle", "-X", "KUBE-IPTABLES-HINT");
        }
    }

    /** libcni caches each sandbox's result under /var/lib/cni/results whatever containerd is told. */
    private void removeCniResults(List<String> containerIds) {
        Path results = Path.of("/var/lib/cni/results");
        try (var files = Files.list(results)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith(bridge + "-") || containerIds.stream().anyMatch(n::contains)) Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // none made
        }
    }

    /** The kubelet's kubepods hierarchy in every cgroup v1 controller, now empty: removed deepest first. */
    private static void removePodCgroups() {
        try (var controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path c : controllers.toList()) {
                Path root = c.resolve("kubepods");
                if (!Files.isDirectory(root)) continue;
                try (var tree = Files.walk(root)) {
                    // a cgroup directory holds only virtual files: rmdir takes it once its children are gone
                    for (Path d : tree.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                        d.toFile().delete();
                    }
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // best effort: an empty cgroup left behind holds nothing
        }
    }

    /** Every mount below the node's directory (overlays, volumes, the sandboxes' shm), deepest first. */
    private void unmountAll() {
        try {
            List<String> mounts = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 1 && f[1].startsWith(dir.toString())) mounts.add(f[1]);
            }
            mounts.sort((a, b) -> b.length() - a.length());
            for (String m : mounts) run("umount", "-l", m);
        } catch (IOException e) {
            // nothing more to do
        }
    }

    private static void run(String... cmd) {
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // best effort
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
