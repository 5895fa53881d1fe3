package io.mpcsystem.operator;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mpcsystem.operator.reconciler.MpcClusterReconciler;
import io.mpcsystem.operator.reconciler.ResourceApplier;
import io.mpcsystem.operator.keyset.KeyBackends;
import io.mpcsystem.operator.keyset.KeySetReconciler;
import io.mpcsystem.operator.keyset.PartyObserver;
import io.mpcsystem.operator.keyset.VaultPolicy;
import io.mpcsystem.operator.desired.DesiredNetworkPolicies;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Map;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;

/**
 * The operator process: leader election (two replicas, one active), server-side apply for owned
 * objects, health and metrics on one HTTP port, and a clean stop on SIGTERM (informers closed,
 * the lease released so the standby takes over at once).
 */
public final class OperatorMain {
    private OperatorMain() {
    }

    /** Comma-separated namespaces to watch (the Helm chart's watchNamespaces); empty means all. */
    static Set<String> watchedNamespaces(String value) {
        if (value == null || value.isBlank()) return Constants.WATCH_ALL_NAMESPACE_SET;
        Set<String> out = new TreeSet<>();
        for (String n : value.split(",")) if (!n.isBlank()) out.add(n.trim());
        return out;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("MPC_OPERATOR_HTTP_PORT", "8080"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // the KeySet gauges (rotation / refresh failed) live in the global registry
        io.micrometer.core.instrument.Metrics.addRegistry(registry);
        Operator operator = create(new KubernetesClientBuilder().build(), System.getenv(), registry, PartyObserver.inCluster(), true);
        OperatorEndpoints endpoints = new OperatorEndpoints(port, () -> operator.getRuntimeInfo().isStarted()
                && operator.getRuntimeInfo().allEventSourcesAreHealthy(), registry);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.stop();
            endpoints.close();
        }, "mpc-operator-stop"));
        operator.start();
    }

    /**
     * The operator as it runs in production, on the given client and settings: server-side apply,
     * leader election, the watched namespaces, the Vault allow-list. The suite on a real API server
     * runs exactly this, as the chart's ServiceAccount.
     *
     * @param exitOnLostLease end the process when leadership is lost (production: a replica that
     *                        may no longer lead must not go on reconciling; a test's JVM must live on)
     */
    public static Operator create(KubernetesClient client, Map<String, String> env, PrometheusMeterRegistry registry, PartyObserver observer,
                                  boolean exitOnLostLease) throws NoSuchAlgorithmException {
        String lease = env.getOrDefault("MPC_OPERATOR_LEASE", "mpc-operator");
        // the chart sets the pod's namespace; outside a pod the client's namespace is the fallback
        String leaseNamespace = env.get("MPC_OPERATOR_NAMESPACE");
        LeaderElectionConfigurationBuilder election = LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(lease)
                .withExitOnStopLeading(exitOnLostLease);
        if (leaseNamespace != null && !leaseNamespace.isBlank()) election.withLeaseNamespace(leaseNamespace);
        Operator operator = new Operator(o -> o.withKubernetesClient(client).withLeaderElectionConfiguration(election.build())
                .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                .withStopOnInformerErrorDuringStartup(false));
        Set<String> namespaces = watchedNamespaces(env.get("MPC_OPERATOR_NAMESPACES"));
        SecureRandom random = SecureRandom.getInstance("DRBG");
        // where the operator and Prometheus run, for the NetworkPolicies (the chart sets both)
        DesiredNetworkPolicies.Peers peers = DesiredNetworkPolicies.Peers.fromEnvironment(env);
        // which Vaults KeySets may name, and the projected token for them (the chart sets both)
        VaultPolicy vault = VaultPolicy.fromEnvironment(env);
        operator.register(new MpcClusterReconciler(ResourceApplier.serverSide(), Clock.systemUTC(), peers, random),
                o -> o.settingNamespaces(namespaces));
        operator.register(new KeySetReconciler(ResourceApplier.serverSide(), Clock.systemUTC(), KeyBackends.with(vault), observer,
                random), o -> o.settingNamespaces(namespaces));
        return operator;
    }
}
