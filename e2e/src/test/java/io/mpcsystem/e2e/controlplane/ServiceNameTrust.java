package io.mpcsystem.e2e.controlplane;

import io.mpcsystem.operator.desired.WorkloadTls;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS to a Service dialled by its cluster IP from a host that has no cluster DNS: the chain must
 * lead to the given CA, and the certificate must be valid for the Service's DNS name (the name a
 * client in the cluster would check), whatever address was dialled.
 */
final class ServiceNameTrust extends X509ExtendedTrustManager {
    private final X509TrustManager chain;
    private final String serviceName;

    private ServiceNameTrust(X509TrustManager chain, String serviceName) {
        this.chain = chain;
        this.serviceName = serviceName;
    }

    static SSLContext sslContext(Path caFile, String serviceName) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            try (var in = java.nio.file.Files.newInputStream(caFile)) {
                int i = 0;
                for (var cert : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) ks.setCertificateEntry("ca" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            X509TrustManager base = (X509TrustManager) tmf.getTrustManagers()[0];
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new ServiceNameTrust(base, serviceName)}, null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot trust " + caFile, e);
        }
    }

    private void check(X509Certificate[] certs, String authType) throws CertificateException {
        chain.checkServerTrusted(certs, authType);
        List<String> names = new ArrayList<>();
        try {
            if (certs[0].getSubjectAlternativeNames() != null) {
                for (List<?> n : certs[0].getSubjectAlternativeNames()) if (Integer.valueOf(2).equals(n.get(0))) names.add((String) n.get(1));
            }
        } catch (CertificateParsingException e) {
            throw new CertificateException(e);
        }
        if (!WorkloadTls.covers(names, serviceName)) throw new CertificateException("the certificate is not valid for " + serviceName + ": " + names);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        check(certs, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        check(certs, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        check(certs, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a client trust only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a client trust only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        throw new CertificateException("a client trust only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
    }
}
