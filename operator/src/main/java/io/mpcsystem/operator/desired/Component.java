package io.mpcsystem.operator.desired;

import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.crd.MpcClusterSpec;
import java.util.Map;

/** The stateless workloads of an MpcCluster, with what distinguishes them. */
public enum Component {
    COORDINATOR("coordinator", "session-coordinator", true, true),
    ROUTER("router", "message-router", false, true),
    // Redis: the rate limits' buckets, shared by the account service's replicas
    ACCOUNT_SERVICE("account", "account-service", true, true);

    private final String suffix;
    private final String image;
    private final boolean usesDatabase;
    private final boolean usesRedis;

    Component(String suffix, String image, boolean usesDatabase, boolean usesRedis) {
        this.suffix = suffix;
        this.image = image;
        this.usesDatabase = usesDatabase;
        this.usesRedis = usesRedis;
    }

    public String name(MpcCluster c) {
        return c.getMetadata().getName() + "-" + suffix;
    }

    public String label() {
        return suffix;
    }

    public String image(MpcClusterSpec spec) {
        return spec.image.repository + "/" + image + ":" + spec.image.tag;
    }

    public boolean usesDatabase() {
        return usesDatabase;
    }

    public boolean usesRedis() {
        return usesRedis;
    }

    public MpcClusterSpec.Stateless settings(MpcClusterSpec spec) {
        return switch (this) {
            case COORDINATOR -> spec.coordinator;
            case ROUTER -> spec.router;
            case ACCOUNT_SERVICE -> spec.accountService;
        };
    }

    /** Labels that select this component's pods. */
    public Map<String, String> selector(MpcCluster c) {
        return Labels.selector(c, suffix);
    }
}
