package io.mpcsystem.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, where the services are built: set by the ./mpc launcher, else the working directory. */
final class Home {
    private Home() {
    }

    static Path path() {
        String prop = System.getProperty("mpc.home");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        if (!Files.isDirectory(p.resolve("workloads"))) {
            throw new IllegalStateException("cannot find the mpc-system checkout (no workloads/ under " + p + "); run through ./mpc");
        }
        return p;
    }
}
