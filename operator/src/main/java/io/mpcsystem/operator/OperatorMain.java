package io.mpcsystem.operator;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.mpcsystem.operator.reconciler.MpcClusterReconciler;
import io.mpcsystem.operator.reconciler.ResourceApplier;
import java.time.Clock;

/**
 * The operator process: leader election (two replicas, one active), server-side apply for owned
 * objects, and a clean stop on SIGTERM.
 */
public final class OperatorMain {
    private OperatorMain() {
    }

    public static void main(String[] args) {
        String lease = System.getenv().getOrDefault("MPC_OPERATOR_LEASE", "mpc-operator");
        Operator operator = new Operator(o -> o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(lease)));
        operator.register(new MpcClusterReconciler(ResourceApplier.serverSide(), Clock.systemUTC()));
        Runtime.getRuntime().addShutdownHook(new Thread(operator::stop, "mpc-operator-stop"));
        operator.start();
    }
}
