package io.mpcsystem.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.mpcsystem.proto.GrpcChannels;
import io.mpcsystem.proto.coordinator.v1.GetSessionRequest;
import io.mpcsystem.proto.coordinator.v1.SessionCoordinatorGrpc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The coordinator with the TLS settings the operator gives it (MpcCluster spec.tls): gRPC and
 * HTTP on their usual ports, both TLS only, verified by clients against the cluster's CA, the way
 * the parties and the account service connect (GrpcChannels).
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedStores.class)
@TestProfile(CoordinatorTlsTest.Tls.class)
class CoordinatorTlsTest {
    static final TestCertificates CERTS;

    static {
        try {
            CERTS = TestCertificates.create();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The environment the operator sets when spec.tls is on. */
    public static class Tls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("MPC_TLS_CERT_FILE", CERTS.cert().toString(), "MPC_TLS_KEY_FILE", CERTS.key().toString(),
                    "MPC_TLS_INSECURE_REQUESTS", "disabled", "quarkus.http.test-ssl-port", "0", "quarkus.grpc.server.test-port", "19061");
        }
    }

    @ConfigProperty(name = "quarkus.http.test-ssl-port")
    int httpsPort;

    @Test
    void grpcIsServedOverTlsOnlyAndVerifiedAgainstTheCa() throws Exception {
        ManagedChannel tls = GrpcChannels.open("localhost:19061", CERTS.ca().toString());
        ManagedChannel plain = GrpcChannels.open("localhost:19061", null);
        try {
            Throwable t = catchThrowable(() -> TestCallers.accountStub(tls).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getSession(GetSessionRequest.newBuilder().setSessionId("no-such-session").build()));
            assertThat(Status.fromThrowable(t).getCode()).as("the call went through TLS and reached the service").isEqualTo(Status.Code.NOT_FOUND);
            Throwable refused = catchThrowable(() -> TestCallers.accountStub(plain).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .getSession(GetSessionRequest.newBuilder().setSessionId("no-such-session").build()));
            assertThat(refused).isInstanceOf(StatusRuntimeException.class);
            assertThat(Status.fromThrowable(refused).getCode()).as("plaintext is not served").isNotEqualTo(Status.Code.NOT_FOUND);
        } finally {
            tls.shutdownNow();
            plain.shutdownNow();
        }
    }

    @Test
    void httpIsServedOverTlsOnly() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(CERTS.ca())) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpResponse<String> ok = HttpClient.newBuilder().sslContext(ssl).build().send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/health/live")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        Throwable plain = catchThrowable(() -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + httpsPort + "/health/live")).build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(plain).as("no plaintext answer on the TLS port").isNotNull();
    }
}
