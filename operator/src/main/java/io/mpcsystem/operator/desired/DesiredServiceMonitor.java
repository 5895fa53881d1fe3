package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import java.util.List;
import java.util.Map;

/**
 * A Prometheus Operator ServiceMonitor scraping /metrics of every Service of the cluster. Built as
 * a generic resource: the operator must not depend on the Prometheus Operator's model classes,
 * and creates it only where that CRD is installed.
 */
public final class DesiredServiceMonitor {
    public static final String CRD = "servicemonitors.monitoring.coreos.com";
    public static final String API_VERSION = "monitoring.coreos.com/v1";

    private DesiredServiceMonitor() {
    }

    private static Map<String, Object> endpoint(MpcCluster c) {
        if (!WorkloadTls.on(c)) return Map.of("port", "metrics", "path", "/metrics", "interval", "30s");
        return Map.of("port", "metrics", "path", "/metrics", "interval", "30s", "scheme", "https",
                "tlsConfig", Map.of("ca", Map.of("secret", Map.of("name", c.getSpec().tlsSecret, "key", "ca.crt")), "serverName",
                        Component.COORDINATOR.name(c)));
    }

    public static GenericKubernetesResource of(MpcCluster c) {
        Map<String, String> selector = Map.of(Labels.NAME, "mpc-system", Labels.INSTANCE, c.getMetadata().getName());
        return new GenericKubernetesResourceBuilder().withApiVersion(API_VERSION).withKind("ServiceMonitor")
                .withMetadata(Ownership.meta(c, c.getMetadata().getName(), Labels.all(c, "metrics")))
                .addToAdditionalProperties("spec", Map.of(
                        "selector", Map.of("matchLabels", selector),
                        "endpoints", List.of(endpoint(c))))
                .build();
    }
}
