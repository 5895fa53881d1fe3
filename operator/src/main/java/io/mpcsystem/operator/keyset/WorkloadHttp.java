package io.mpcsystem.operator.keyset;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.desired.WorkloadTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** HTTP clients for talking to a cluster's workloads: plain, or trusting only the cluster's CA when TLS is on. */
public final class WorkloadHttp {
    private static final HttpClient PLAIN = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private WorkloadHttp() {
    }

    /** With TLS on, the workloads' certificates are checked against ca.crt of the cluster's spec.tlsSecret. */
    public static HttpClient client(KubernetesClient client, MpcCluster c) throws GeneralSecurityException, IOException {
        if (!WorkloadTls.on(c)) return PLAIN;
        Secret s = client.secrets().inNamespace(c.getMetadata().getNamespace()).withName(c.getSpec().tlsSecret).get();
        if (s == null || s.getData() == null || !s.getData().containsKey("ca.crt")) {
            throw new IOException("TLS Secret " + c.getSpec().tlsSecret + " has no ca.crt");
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int n = 0;
        for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(Base64.getDecoder().decode(s.getData().get("ca.crt"))))) {
            trust.setCertificateEntry("ca-" + n++, cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).sslContext(ssl).build();
    }
}
