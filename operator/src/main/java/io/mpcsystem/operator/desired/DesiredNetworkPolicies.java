package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed guide's NetworkPolicies (its section 4.2), tightened: each component accepts only the
 * peers that call it and reaches only what it calls. The account service is the only entry
 * point from outside (the seed also exposed the coordinator: here only the account service and the
 * operator reach its HTTP port); parties accept no connection but the operator's on HTTP; Prometheus
 * reaches every component on the metrics port (9090) only. Operator and Prometheus are admitted
 * from their own namespaces only, pinned by {@code kubernetes.io/metadata.name}. Egress: DNS to
 * kube-system, PostgreSQL and Redis on their ports (they are named by host, so only the port can be
 * pinned), the router and coordinator by pod label.
 */
public final class DesiredNetworkPolicies {
    static final String PARTY = "party";
    /** The app.kubernetes.io/name label of the operator's own pods (the Helm chart sets it). */
    public static final String OPERATOR_NAME = "mpc-operator";

    private DesiredNetworkPolicies() {
    }

    /**
     * The namespaces the operator and Prometheus run in, pinned by their {@code kubernetes.io/metadata.name}
     * label (which the API server sets and nobody can forge), so that a pod labelled "prometheus" or
     * "mpc-operator" in some other namespace is not admitted.
     */
    public record Peers(String operatorNamespace, String prometheusNamespace) {
        public static final Peers DEFAULT = new Peers("mpc-operator", "monitoring");

        /** From the operator's environment: MPC_OPERATOR_NAMESPACE (the chart sets it) and MPC_PROMETHEUS_NAMESPACE. */
        public static Peers fromEnvironment(Map<String, String> env) {
            String op = env.getOrDefault("MPC_OPERATOR_NAMESPACE", DEFAULT.operatorNamespace());
            String prom = env.getOrDefault("MPC_PROMETHEUS_NAMESPACE", DEFAULT.prometheusNamespace());
            return new Peers(op.isBlank() ? DEFAULT.operatorNamespace() : op.trim(), prom.isBlank() ? DEFAULT.prometheusNamespace() : prom.trim());
        }
    }

    public static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

    public static List<NetworkPolicy> of(MpcCluster c) {
        return of(c, Peers.DEFAULT);
    }

    public static List<NetworkPolicy> of(MpcCluster c, Peers peers) {
        int db = c.getSpec().database.port;
        int redis = c.getSpec().redis.port;
        int grpc = DesiredDeployment.GRPC_PORT;
        int http = DesiredDeployment.HTTP_PORT;
        int metrics = DesiredDeployment.METRICS_PORT;
        NetworkPolicyPeer operator = operator(peers);
        NetworkPolicyPeer prometheus = prometheus(peers);
        List<NetworkPolicy> out = new ArrayList<>();
        out.add(policy(c, PARTY,
                List.of(ingress(List.of(operator), http), ingress(List.of(prometheus), metrics)),
                List.of(egress(List.of(peer(c, "router"), peer(c, "coordinator")), grpc), egressAnywhere(db), dns())));
        out.add(policy(c, "coordinator",
                // its REST API creates sessions, signatures included: only the account service (which has
                // API keys) and the operator (share refresh) may reach it, each with its caller token
                List.of(ingress(List.of(peer(c, PARTY), peer(c, "account")), grpc), ingress(List.of(peer(c, "account"), operator), http),
                        ingress(List.of(prometheus), metrics)),
                List.of(egressAnywhere(db), egressAnywhere(redis), dns())));
        out.add(policy(c, "router",
                List.of(ingress(List.of(peer(c, PARTY)), grpc), ingress(List.of(prometheus), metrics)),
                List.of(egressAnywhere(redis), dns())));
        out.add(policy(c, "account",
                List.of(ingressAnywhere(http), ingress(List.of(prometheus), metrics)),
                List.of(egress(List.of(peer(c, "coordinator")), grpc), egressAnywhere(db), egressAnywhere(redis), dns())));
        return out;
    }

    private static NetworkPolicy policy(MpcCluster c, String component, List<NetworkPolicyIngressRule> in, List<NetworkPolicyEgressRule> out) {
        return new NetworkPolicyBuilder()
                .withMetadata(Ownership.meta(c, c.getMetadata().getName() + "-" + component, Labels.all(c, component)))
                .withNewSpec()
                .withPodSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(c, component)).build())
                .withPolicyTypes("Ingress", "Egress")
                .withIngress(in)
                .withEgress(out)
                .endSpec().build();
    }

    private static NetworkPolicyPeer peer(MpcCluster c, String component) {
        return new NetworkPolicyPeerBuilder().withNewPodSelector().withMatchLabels(Labels.selector(c, component)).endPodSelector().build();
    }

    private static NetworkPolicyIngressRule ingress(List<NetworkPolicyPeer> from, int port) {
        return new NetworkPolicyIngressRuleBuilder().withFrom(from).withPorts(new NetworkPolicyPortBuilder().withProtocol("TCP")
                .withPort(new IntOrString(port)).build()).build();
    }

    /** The operator reads each party's key-share status and drives share refreshes: its pods, in its namespace only. */
    private static NetworkPolicyPeer operator(Peers peers) {
        return new NetworkPolicyPeerBuilder().withNewNamespaceSelector().withMatchLabels(Map.of(NAMESPACE_NAME, peers.operatorNamespace())).endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(Map.of(Labels.NAME, OPERATOR_NAME)).endPodSelector().build();
    }

    /** Prometheus (the Prometheus Operator labels its pods so), for /metrics on the metrics port, in its namespace only. */
    private static NetworkPolicyPeer prometheus(Peers peers) {
        return new NetworkPolicyPeerBuilder().withNewNamespaceSelector().withMatchLabels(Map.of(NAMESPACE_NAME, peers.prometheusNamespace())).endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(Map.of(Labels.NAME, "prometheus")).endPodSelector().build();
    }

    private static NetworkPolicyIngressRule ingressAnywhere(int port) {
        return new NetworkPolicyIngressRuleBuilder().withPorts(new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build()).build();
    }

    private static NetworkPolicyEgressRule egress(List<NetworkPolicyPeer> to, int port) {
        return new NetworkPolicyEgressRuleBuilder().withTo(to).withPorts(new NetworkPolicyPortBuilder().withProtocol("TCP")
                .withPort(new IntOrString(port)).build()).build();
    }

    /** Database and Redis are named by host, not by pod labels: the rule can only pin the port. */
    private static NetworkPolicyEgressRule egressAnywhere(int port) {
        return new NetworkPolicyEgressRuleBuilder().withPorts(new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build()).build();
    }

    /** DNS: the cluster's resolver in kube-system only. */
    private static NetworkPolicyEgressRule dns() {
        return new NetworkPolicyEgressRuleBuilder().withTo(new NetworkPolicyPeerBuilder().withNewNamespaceSelector()
                .withMatchLabels(Map.of(NAMESPACE_NAME, "kube-system")).endNamespaceSelector().build()).withPorts(
                new NetworkPolicyPortBuilder().withProtocol("UDP").withPort(new IntOrString(53)).build(),
                new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(53)).build()).build();
    }
}
