package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.crd.MpcClusterSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seed guide's shared settings (its ConfigMap: LOG_LEVEL, ENVIRONMENT, database and Redis
 * host and port), plus where the coordinator and router are. Credentials never go here: they stay
 * in Secrets. Pods read single keys by reference, so each workload sees only what it uses, and a
 * hash of the keys each reads, in its template, rolls it when one of its settings changes.
 */
public final class DesiredConfigMap {
    /** Pod-template annotation whose change rolls the pods after a settings change. */
    public static final String CONFIG_HASH_ANNOTATION = "mpc.mpcsystem.io/config-hash";

    private DesiredConfigMap() {
    }

    public static String name(MpcCluster c) {
        return c.getMetadata().getName() + "-config";
    }

    public static ConfigMap of(MpcCluster c) {
        return new ConfigMapBuilder().withMetadata(Ownership.meta(c, name(c), Labels.all(c, "config"))).withData(data(c)).build();
    }

    static Map<String, String> data(MpcCluster c) {
        MpcClusterSpec spec = c.getSpec();
        Map<String, String> d = new TreeMap<>();
        d.put("LOG_LEVEL", spec.logLevel);
        d.put("ENVIRONMENT", spec.environment);
        d.put("MPC_DATABASE_HOST", spec.database.host);
        d.put("MPC_DATABASE_PORT", String.valueOf(spec.database.port));
        d.put("MPC_DATABASE_DBNAME", spec.database.name);
        d.put("MPC_REDIS_HOST", spec.redis.host);
        d.put("MPC_REDIS_PORT", String.valueOf(spec.redis.port));
        d.put("MPC_PRESIGN_POOL_SIZE", String.valueOf(spec.presignaturePoolSize));
        d.put("SESSION_COORDINATOR_ADDR", Component.COORDINATOR.name(c) + ":" + DesiredDeployment.GRPC_PORT);
        d.put("MESSAGE_ROUTER_ADDR", Component.ROUTER.name(c) + ":" + DesiredDeployment.GRPC_PORT);
        return d;
    }

    /** An environment variable read from this ConfigMap. */
    static EnvVar env(MpcCluster c, String key) {
        return new EnvVarBuilder().withName(key).withNewValueFrom().withNewConfigMapKeyRef().withName(name(c)).withKey(key).endConfigMapKeyRef()
                .endValueFrom().build();
    }

    /**
     * SHA-256 over the settings these environment variables read from the ConfigMap, and nothing
     * else: a setting only one component uses rolls only that component.
     */
    public static String hashOf(MpcCluster c, java.util.List<EnvVar> env) {
        Map<String, String> data = data(c);
        Map<String, String> used = new TreeMap<>();
        for (EnvVar e : env) {
            if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null && name(c).equals(e.getValueFrom().getConfigMapKeyRef().getName())) {
                String key = e.getValueFrom().getConfigMapKeyRef().getKey();
                used.put(key, data.get(key));
            }
        }
        return hash(used);
    }

    static String hash(Map<String, String> settings) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
                md.update((e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
