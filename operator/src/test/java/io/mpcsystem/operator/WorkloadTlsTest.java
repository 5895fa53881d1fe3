package io.mpcsystem.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.crd.MpcClusterSpec;
import io.mpcsystem.operator.desired.DesiredConfigMap;
import io.mpcsystem.operator.desired.WorkloadTls;
import io.mpcsystem.operator.keyset.PartyObserver;
import io.mpcsystem.operator.refresh.CoordinatorClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The names a cluster's certificate must cover are exactly those its clients use, and cert-manager is asked for them. */
class WorkloadTlsTest {
    private static MpcCluster tls() throws Exception {
        MpcCluster c = DesiredStateTest.sample();
        c.getSpec().tls = true;
        c.getSpec().tlsSecret = "demo-tls";
        return c;
    }

    @Test
    void everyNameAClientUsesIsCovered() throws Exception {
        MpcCluster c = tls();
        List<String> names = WorkloadTls.dnsNames(c);
        // the operator: share refresh through the coordinator, key-share status of each party
        assertThat(WorkloadTls.covers(names, CoordinatorClient.inCluster(null, c).base().getHost())).isTrue();
        assertThat(CoordinatorClient.inCluster(null, c).base().getHost()).isEqualTo("demo-coordinator.mpc.svc");
        for (int i = 1; i <= 3; i++) {
            String host = PartyObserver.inCluster().statusUri(c, i).getHost();
            assertThat(host).isEqualTo("demo-party-" + i + "-0.demo-parties.mpc.svc");
            assertThat(WorkloadTls.covers(names, host)).as(host).isTrue();
        }
        // the workloads: by the short names in the ConfigMap
        Map<String, String> config = DesiredConfigMap.of(c).getData();
        for (String key : List.of("SESSION_COORDINATOR_ADDR", "MESSAGE_ROUTER_ADDR")) {
            String host = config.get(key).substring(0, config.get(key).indexOf(':'));
            assertThat(WorkloadTls.covers(names, host)).as(host).isTrue();
        }
        assertThat(WorkloadTls.covers(names, "demo-account.mpc.svc.cluster.local")).isTrue();
        // and nothing else
        assertThat(WorkloadTls.covers(names, "evil.mpc.svc")).isFalse();
        assertThat(WorkloadTls.covers(names, "a.b.demo-parties.mpc.svc")).as("a wildcard covers one label").isFalse();
    }

    @Test
    void certManagerIsAskedForExactlyThoseNamesIntoTheTlsSecret() throws Exception {
        MpcCluster c = tls();
        c.getSpec().certManager = new MpcClusterSpec.CertManager();
        c.getSpec().certManager.issuer = "mpc-ca";
        var cert = WorkloadTls.certificate(c);
        assertThat(cert.getApiVersion()).isEqualTo("cert-manager.io/v1");
        assertThat(cert.getKind()).isEqualTo("Certificate");
        assertThat(cert.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) cert.getAdditionalProperties().get("spec");
        assertThat(spec.get("secretName")).isEqualTo("demo-tls");
        assertThat(spec.get("dnsNames")).isEqualTo(WorkloadTls.dnsNames(c));
        assertThat(Serialization.asYaml(cert)).contains("name: \"mpc-ca\"").contains("kind: \"Issuer\"").contains("app.kubernetes.io/managed-by");
        c.getSpec().tls = false;
        assertThat(io.mpcsystem.operator.reconciler.SpecCheck.problems(c.getSpec())).anySatisfy(p -> assertThat(p).contains("certManager needs spec.tls"));
    }

    @Test
    void aRenewedCertificateChangesTheHashAndTheKeyAloneDoesNot() {
        String a = WorkloadTls.secretHash(Map.of("tls.crt", "Y2VydC0x", "ca.crt", "Y2E=", "tls.key", "a2V5MQ=="));
        assertThat(WorkloadTls.secretHash(Map.of("tls.crt", "Y2VydC0y", "ca.crt", "Y2E=", "tls.key", "a2V5MQ=="))).isNotEqualTo(a);
        assertThat(WorkloadTls.secretHash(Map.of("tls.crt", "Y2VydC0x", "ca.crt", "Y2FC", "tls.key", "a2V5MQ=="))).isNotEqualTo(a);
    }
}
