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

    /** Pod-template annotation: a hash of the TLS Secret's certificate, so a renewal (cert-manager) rolls the pods onto it. */
    public static final String TLS_HASH_ANNOTATION = "mpc.mpcsystem.io/tls-hash";

    /**
     * The names the certificate must be valid for: every name a client uses. Workloads reach each
     * other by short Service name ({@code <cluster>-coordinator:50051}, see the ConfigMap), the operator
     * by {@code <service>.<namespace>.svc} (CoordinatorClient) and each party pod by
     * {@code <party>-0.<cluster>-parties.<namespace>.svc} (PartyObserver), Prometheus by the same.
     */
    public static List<String> dnsNames(MpcCluster c) {
        String ns = c.getMetadata().getNamespace();
        List<String> out = new java.util.ArrayList<>();
        for (Component component : Component.values()) {
            String n = component.name(c);
            out.add(n);
            out.add(n + "." + ns);
            out.add(n + "." + ns + ".svc");
            out.add(n + "." + ns + ".svc.cluster.local");
        }
        String parties = c.getMetadata().getName() + "-parties";
        out.add(parties + "." + ns + ".svc");
        out.add("*." + parties + "." + ns + ".svc");
        out.add("*." + parties + "." + ns + ".svc.cluster.local");
        return out;
    }

    /** Whether a certificate with these names covers {@code host} (a wildcard covers one leftmost label). */
    public static boolean covers(List<String> names, String host) {
        for (String n : names) {
            if (n.equalsIgnoreCase(host)) return true;
            if (n.startsWith("*.")) {
                int dot = host.indexOf('.');
                if (dot > 0 && host.substring(dot + 1).equalsIgnoreCase(n.substring(2))) return true;
            }
        }
        return false;
    }

    /** SHA-256 over tls.crt and ca.crt of the Secret (base64 as stored), or "" when TLS is off. */
    public static String secretHash(java.util.Map<String, String> data) {
        if (data == null) return "";
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (String key : List.of("tls.crt", "ca.crt")) md.update((key + "=" + data.getOrDefault(key, "") + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cert-manager Certificate for the cluster's names, written into spec.tlsSecret, when spec.certManager asks for one. */
    public static io.fabric8.kubernetes.api.model.GenericKubernetesResource certificate(MpcCluster c) {
        var cm = c.getSpec().certManager;
        java.util.Map<String, Object> spec = new java.util.LinkedHashMap<>();
        spec.put("secretName", c.getSpec().tlsSecret);
        // labelled like everything the operator owns, so its informer sees a renewal and rolls the pods
        spec.put("secretTemplate", java.util.Map.of("labels", Labels.all(c, "tls")));
        spec.put("commonName", Component.COORDINATOR.name(c));
        spec.put("dnsNames", dnsNames(c));
        spec.put("usages", List.of("server auth", "client auth", "digital signature", "key encipherment"));
        spec.put("privateKey", java.util.Map.of("algorithm", "ECDSA", "size", 256, "rotationPolicy", "Always"));
        spec.put("duration", cm.duration);
        spec.put("renewBefore", cm.renewBefore);
        spec.put("issuerRef", java.util.Map.of("name", cm.issuer, "kind", cm.issuerKind, "group", "cert-manager.io"));
        return new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder().withApiVersion("cert-manager.io/v1").withKind("Certificate")
                .withMetadata(Ownership.meta(c, c.getSpec().tlsSecret, Labels.all(c, "tls"))).addToAdditionalProperties("spec", spec).build();
    }

    public static final String CERTIFICATE_CRD = "certificates.cert-manager.io";
}
