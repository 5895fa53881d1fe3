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
 * point from outside (the seed also exposed the coordinator, whose REST API has no API keys: here
 * only the account service, the operator and Prometheus reach it); parties accept no connection
 * but the operator's and Prometheus's on HTTP, and reach only the router, the coordinator and
 * the database.
 */
public final class DesiredNetworkPolicies {
    static final String PARTY = "party";
    /** The app.kubernetes.io/name label of the operator's own pods (the Helm chart sets it). */
    public static final String OPERATOR_NAME = "mpc-operator";

    private DesiredNetworkPolicies() {
    }

    public static List<NetworkPolicy> of(MpcCluster c) {
        int db = c.getSpec().database.port;
        int redis = c.getSpec().redis.port;
        int grpc = DesiredDeployment.GRPC_PORT;
        int http = DesiredDeployment.HTTP_PORT;
        List<NetworkPolicy> out = new ArrayList<>();
        out.add(policy(c, PARTY,
                List.of(ingress(List.of(operator(), prometheus()), http)),
                List.of(egress(List.of(peer(c, "router"), peer(c, "coordinator")), grpc), egressAnywhere(db), dns())));
        out.add(policy(c, "coordinator",
                // its REST API creates sessions, signatures included, without API keys: only the account
                // service (which has them), the operator and metrics scrapers may reach it
                List.of(ingress(List.of(peer(c, PARTY), peer(c, "account")), grpc), ingress(List.of(peer(c, "account"), operator(), prometheus()), http)),
                List.of(egressAnywhere(db), egressAnywhere(redis), dns())));
        out.add(policy(c, "router",
                List.of(ingress(List.of(peer(c, PARTY)), grpc), ingress(List.of(prometheus()), http)),
                List.of(egressAnywhere(redis), dns())));
        out.add(policy(c, "account",
                List.of(ingressAnywhere(http)),
                List.of(egress(List.of(peer(c, "coordinator")), grpc), egressAnywhere(db), dns())));
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

    /** The operator reads each party's key-share status (key rotation waits on it), from whichever namespace it runs in. */
    private static NetworkPolicyPeer operator() {
        return new NetworkPolicyPeerBuilder().withNewNamespaceSelector().endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(Map.of(Labels.NAME, OPERATOR_NAME)).endPodSelector().build();
    }

    /** Prometheus (the Prometheus Operator labels its pods so), for /metrics, from any namespace. */
    private static NetworkPolicyPeer prometheus() {
        return new NetworkPolicyPeerBuilder().withNewNamespaceSelector().endNamespaceSelector()
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

    private static NetworkPolicyEgressRule dns() {
        return new NetworkPolicyEgressRuleBuilder().withPorts(
                new NetworkPolicyPortBuilder().withProtocol("UDP").withPort(new IntOrString(53)).build(),
                new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(53)).build()).build();
    }
}
