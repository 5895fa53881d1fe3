package io.mpcsystem.e2e.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The docker command line, for the tests that run the images in containers. A daemon the
 * machine does not run yet is started from Debian's dockerd (as root), and stopped when the JVM
 * ends; where none can start, {@link #connect} says why and the tests skip.
 */
final class Docker {
    private final String cli;

    private Docker(String cli) {
        this.cli = cli;
    }

    /** A client for a running daemon, starting one if this machine has dockerd and may run it; empty with the reason otherwise. */
    static Result connect(Path logDir) {
        String cli = Files.isExecutable(Path.of("/usr/bin/docker")) ? "/usr/bin/docker" : "docker";
        Docker docker = new Docker(cli);
        if (docker.answers()) return new Result(Optional.of(docker), "");
        Path dockerd = Path.of("/usr/sbin/dockerd");
        if (!Files.isExecutable(dockerd)) return new Result(Optional.empty(), "no Docker daemon answers and /usr/sbin/dockerd is not installed (apt-get install docker.io)");
        if (!"root".equals(System.getProperty("user.name"))) return new Result(Optional.empty(), "no Docker daemon answers, and only root may start dockerd");
        try {
            Files.createDirectories(logDir);
            Process p = new ProcessBuilder(dockerd.toString()).redirectErrorStream(true).redirectOutput(logDir.resolve("dockerd.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                p.destroy();
                try {
                    p.waitFor(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            try {
                Awaitility.await("dockerd").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> !p.isAlive() || docker.answers());
            } catch (ConditionTimeoutException e) {
                // said below, with its log
            }
            if (p.isAlive() && docker.answers()) return new Result(Optional.of(docker), "");
            List<String> lines = Files.readAllLines(logDir.resolve("dockerd.log"));
            String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
            p.destroy();
            return new Result(Optional.empty(), "dockerd did not start; its last lines:\n" + tail);
        } catch (IOException e) {
            return new Result(Optional.empty(), "cannot start dockerd: " + e.getMessage());
        }
    }

    record Result(Optional<Docker> docker, String whyNot) {
    }

    private boolean answers() {
        try {
            return exec(List.of("version", "--format", "{{.Server.Version}}"), 20).exit() == 0;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** Runs a docker command and gives its standard output; a failure names the command and what docker said. */
    String run(String... args) {
        Exec e = exec(List.of(args), 300);
        if (e.exit() != 0) throw new IllegalStateException("docker " + String.join(" ", redacted(args)) + " failed (" + e.exit() + "): " + e.err().strip());
        return e.out().strip();
    }

    /** Runs a docker command and gives its exit code, whatever it is. */
    int status(String... args) {
        return exec(List.of(args), 300).exit();
    }

    record Exec(int exit, String out, String err) {
    }

    private Exec exec(List<String> args, int timeoutSeconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(cli);
        cmd.addAll(args);
        try {
            Path out = Files.createTempFile("docker", ".out");
            Path err = Files.createTempFile("docker", ".err");
            try {
                Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new Exec(-1, "", "timed out after " + timeoutSeconds + " s");
                }
                return new Exec(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: docker " + args.get(0));
        }
    }

    /** Environment values never reach a message: -e NAME=VALUE is shown as -e NAME. */
    private static List<String> redacted(String... args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            boolean value = i > 0 && "-e".equals(args[i - 1]);
            out.add(value ? args[i].replaceFirst("=.*", "=…") : args[i]);
        }
        return out;
    }

    /** Loads an image tarball (docker-save, or Jib's OCI layout given a docker-save manifest on the way) and gives the image it loaded. */
    String load(Path tarball, Path work) {
        Path docker;
        try {
            Files.createDirectories(work);
            docker = OciArchive.dockerLoadable(tarball, work.resolve(tarball.getParent().getParent().getFileName() + "-docker.tar"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the image " + tarball, e);
        }
        String out = run("load", "-i", docker.toString());
        for (String line : out.lines().toList()) {
            if (line.startsWith("Loaded image: ")) return line.substring("Loaded image: ".length()).strip();
        }
        throw new IllegalStateException("docker load of " + tarball + " named no image: " + out);
    }
}
