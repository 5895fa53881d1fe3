package io.mpcsystem.operator.desired;

import io.mpcsystem.operator.crd.MpcCluster;
import java.util.Map;
import java.util.TreeMap;

/** The recommended Kubernetes labels, so that every object names its cluster and component. */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

    private Labels() {
    }

    public static Map<String, String> selector(MpcCluster c, String component) {
        Map<String, String> m = new TreeMap<>();
        m.put(NAME, "mpc-system");
        m.put(INSTANCE, c.getMetadata().getName());
        m.put(COMPONENT, component);
        return m;
    }

    public static Map<String, String> all(MpcCluster c, String component) {
        Map<String, String> m = selector(c, component);
        m.put(MANAGED_BY, "mpc-operator");
        return m;
    }
}
