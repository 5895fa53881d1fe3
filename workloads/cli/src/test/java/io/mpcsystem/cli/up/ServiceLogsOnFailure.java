package io.mpcsystem.cli.up;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the end of every service's log when a test against a local cluster fails. CI keeps only
 * the test output, and a 504 from the account service says nothing of which party stalled and why.
 */
final class ServiceLogsOnFailure implements TestWatcher {
    private static final int LINES = 40;
    private final Supplier<LocalCluster> cluster;

    ServiceLogsOnFailure(Supplier<LocalCluster> cluster) {
        this.cluster = cluster;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        LocalCluster c = cluster.get();
        if (c == null) return;
        StringBuilder out = new StringBuilder("\n==== service logs after the failure of " + context.getDisplayName() + " ====\n");
        for (ServiceProcess s : c.services()) {
            out.append("---- ").append(s.name()).append(" (").append(s.isAlive() ? "running" : "exited").append(") ----\n")
                    .append(s.tail(LINES)).append('\n');
        }
        System.err.println(out);
    }
}
