package io.mpcsystem.cli.up;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service of the local cluster, as a child JVM with its own log file. */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int httpPort;
    private final Path log;
    private final Path jar;
    private final Map<String, String> env;
    private final Path logDir;

    private ServiceProcess(String name, Process process, int httpPort, Path log, Path jar, Map<String, String> env, Path logDir) {
        this.name = name;
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
        this.jar = jar;
        this.env = Map.copyOf(env);
        this.logDir = logDir;
    }

    public static ServiceProcess start(String name, Path jar, Map<String, String> env, int httpPort, Path logDir) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + " is not built (" + jar + " is missing): run ./mvnw -B -DskipTests package first");
        }
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            if (Files.exists(log)) Files.move(log, logDir.resolve(name + ".previous.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(env);
            return new ServiceProcess(name, pb.start(), httpPort, log, jar, env, logDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path log() {
        return log;
    }

    /** Waits for /health/ready; fails early, with the end of the log, if the process dies. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        // a service started with TLS answers only over TLS, verified against the local CA
        String ca = env.get("MPC_TLS_CA_FILE");
        HttpClient http = ca == null ? HTTP
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(LocalTls.trusting(Path.of(ca))).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create((ca == null ? "http" : "https") + "://localhost:" + httpPort + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; end of " + log + ":\n" + tail(15));
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name);
            }
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; end of " + log + ":\n" + tail(15));
    }

    /** The last {@code count} lines of the service's log. */
    String tail(int count) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "(log unreadable)";
        }
    }

    /** Stops the service gracefully (SIGTERM), forcibly after 10 seconds. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the service at once (SIGKILL), as a crash would. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the same service again (after {@link #close()} or {@link #kill()}). */
    public ServiceProcess relaunch() {
        return start(name, jar, env, httpPort, logDir);
    }

    /** Freezes the process (SIGSTOP), as a hung machine would look; {@link #resume()} undoes it. */
    public void pause() {
        signal("STOP");
    }

    public void resume() {
        signal("CONT");
    }

    private void signal(String sig) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + sig, String.valueOf(process.pid())).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal " + name + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }
}
