package io.mpcsystem.operator.keyset;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-KeySet gauges for alerting (the chart's PrometheusRule): {@code mpc_operator_keyset_rotation_failed}
 * and {@code mpc_operator_keyset_refresh_failed}, 1 while a rotation or refresh stands failed, else 0,
 * tagged with namespace and keyset. Registered in Micrometer's global registry, which the operator's
 * Prometheus registry joins.
 */
public final class KeySetMetrics {
    public static final String ROTATION_FAILED = "mpc_operator_keyset_rotation_failed";
    public static final String REFRESH_FAILED = "mpc_operator_keyset_refresh_failed";
    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> values = new ConcurrentHashMap<>();

    public KeySetMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public static KeySetMetrics global() {
        return new KeySetMetrics(Metrics.globalRegistry);
    }

    public void record(String namespace, String keySet, boolean rotationFailed, boolean refreshFailed) {
        gauge(ROTATION_FAILED, namespace, keySet).set(rotationFailed ? 1 : 0);
        gauge(REFRESH_FAILED, namespace, keySet).set(refreshFailed ? 1 : 0);
    }

    private AtomicInteger gauge(String name, String namespace, String keySet) {
        return values.computeIfAbsent(name + "/" + namespace + "/" + keySet, k -> {
            AtomicInteger v = new AtomicInteger();
            Gauge.builder(name, v, AtomicInteger::get).tag("namespace", namespace).tag("keyset", keySet)
                    .description("1 while the KeySet's last " + (name.equals(ROTATION_FAILED) ? "key rotation" : "share refresh") + " stands failed")
                    .register(registry);
            return v;
        });
    }
}
