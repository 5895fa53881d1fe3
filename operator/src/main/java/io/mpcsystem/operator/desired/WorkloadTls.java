package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.mpcsystem.operator.crd.MpcCluster;
import java.util.List;

/**
 * TLS for every workload when {@code spec.tls} is on: the kubernetes.io/tls Secret named by
 * {@code spec.tlsSecret} (tls.crt, tls.key and ca.crt, e.g. from cert-manager, valid for the
 * cluster's Service names) is mounted read-only, servers serve gRPC and HTTP over TLS only, and
 * clients verify their peers against ca.crt.
 */
public final class WorkloadTls {
    static final String VOLUME = "tls";
    static final String DIR = "/etc/mpc/tls";

    private WorkloadTls() {
    }

    public static boolean on(MpcCluster c) {
        return Boolean.TRUE.equals(c.getSpec().tls);
    }

    /** The probes' and scrapers' scheme. */
    public static String scheme(MpcCluster c) {
        return on(c) ? "HTTPS" : "HTTP";
    }

    static List<EnvVar> env(MpcCluster c) {
        if (!on(c)) return List.of();
        return List.of(
                new EnvVarBuilder().withName("MPC_TLS_CERT_FILE").withValue(DIR + "/tls.crt").build(),
                new EnvVarBuilder().withName("MPC_TLS_KEY_FILE").withValue(DIR + "/tls.key").build(),
                new EnvVarBuilder().withName("MPC_TLS_CA_FILE").withValue(DIR + "/ca.crt").build(),
                new EnvVarBuilder().withName("MPC_TLS_INSECURE_REQUESTS").withValue("disabled").build());
    }

    static List<Volume> volumes(MpcCluster c) {
        if (!on(c)) return List.of();
        return List.of(new VolumeBuilder().withName(VOLUME).withNewSecret().withSecretName(c.getSpec().tlsSecret).withDefaultMode(0440).endSecret().build());
    }

    static List<VolumeMount> mounts(MpcCluster c) {
        if (!on(c)) return List.of();
        return List.of(new VolumeMountBuilder().withName(VOLUME).withMountPath(DIR).withReadOnly(true).build());
    }
}
