package io.mpcsystem.cli.up;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS for a local system ({@code mpc up --tls}): a CA of its own and one certificate for
 * localhost, written once under the data directory as the PEM files a kubernetes.io/tls Secret
 * holds (ca.crt, tls.crt, tls.key), and handed to every service the way the operator does.
 */
public record LocalTls(Path ca, Path cert, Path key) {

    /** The files in {@code dir}, made on first use (the CA's private key is not kept: nothing else is ever signed). */
    public static LocalTls ensure(Path dir) {
        return ensure(dir, List.of());
    }

    /** The same, with more names in the certificate (the services' names on a container network; IPv4 literals become IP names). */
    public static LocalTls ensure(Path dir, List<String> moreNames) {
        LocalTls tls = new LocalTls(dir.resolve("ca.crt"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
        if (Files.exists(tls.ca()) && Files.exists(tls.cert()) && Files.exists(tls.key())) return tls;
        try {
            Files.createDirectories(dir);
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair caKeys = g.generateKeyPair();
            KeyPair serverKeys = g.generateKeyPair();
            Instant now = Instant.now();
            X500Name caName = new X500Name("CN=mpc-system local CA");
            BigInteger serial = new BigInteger(64, new SecureRandom());
            X509CertificateHolder ca = new JcaX509v3CertificateBuilder(caName, serial, Date.from(now.minus(1, ChronoUnit.HOURS)),
                    Date.from(now.plus(365, ChronoUnit.DAYS)), caName, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()));
            X509CertificateHolder server = new JcaX509v3CertificateBuilder(caName, serial.add(BigInteger.ONE), Date.from(now.minus(1, ChronoUnit.HOURS)),
                    Date.from(now.plus(365, ChronoUnit.DAYS)), new X500Name("CN=localhost"), serverKeys.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names(moreNames)))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate()));
            Files.writeString(tls.key(), pem(new JcaPKCS8Generator(serverKeys.getPrivate(), null)));
            try {
                Files.setPosixFilePermissions(tls.key(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // non-POSIX file system
            }
            Files.writeString(tls.cert(), pem(server) + pem(ca));
            Files.writeString(tls.ca(), pem(ca));
            return tls;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the local TLS certificates", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local TLS certificates to " + dir, e);
        }
    }

    private static GeneralName[] names(List<String> more) {
        List<GeneralName> out = new java.util.ArrayList<>(List.of(new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        for (String n : more) out.add(new GeneralName(n.matches("\\d{1,3}(\\.\\d{1,3}){3}") ? GeneralName.iPAddress : GeneralName.dNSName, n));
        return out.toArray(GeneralName[]::new);
    }

    /** What each service is started with: TLS only on its usual ports. */
    Map<String, String> env(int httpPort) {
        return Map.of("MPC_TLS_CERT_FILE", cert.toString(), "MPC_TLS_KEY_FILE", key.toString(), "MPC_TLS_CA_FILE", ca.toString(),
                "MPC_TLS_INSECURE_REQUESTS", "disabled", "QUARKUS_HTTP_SSL_PORT", String.valueOf(httpPort));
    }

    /** A client context trusting this CA only. */
    public SSLContext sslContext() {
        return trusting(ca);
    }

    /** A client context trusting only the CA certificate (PEM) in {@code ca}. */
    public static SSLContext trusting(Path ca) {
        try (InputStream in = Files.newInputStream(ca)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("mpc-local-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot use the CA certificate " + ca, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA certificate " + ca, e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }
}
