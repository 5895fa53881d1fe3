package io.mpcsystem.e2e.controlplane;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mpcsystem.operator.OperatorMain;
import io.mpcsystem.operator.keyset.PartyObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator as a user installs it: the chart (CRDs, ServiceAccount, RBAC) installed by Helm into
 * the real API server, then the production wiring ({@link OperatorMain#create}) run in this JVM
 * with a token of the chart's ServiceAccount, so every call the operator makes is authorized by
 * the chart's RBAC and nothing more. The Vault token is what the chart's projected volume holds: a
 * TokenRequest for audience {@code vault}.
 */
public final class ChartOperator implements AutoCloseable {
    public static final Path CHART = Path.of("..", "helm", "mpc-operator");
    private final KubernetesClient client;
    private final Operator operator;
    private final String release;
    private final String namespace;
    private final Path adminKubeconfig;

    private ChartOperator(KubernetesClient client, Operator operator, String release, String namespace, Path adminKubeconfig) {
        this.client = client;
        this.operator = operator;
        this.release = release;
        this.namespace = namespace;
        this.adminKubeconfig = adminKubeconfig;
    }

    /** The chart values these tests vary (values.yaml has the rest). */
    public record Values(List<String> watchNamespaces, boolean watchAllNamespaces, List<String> vaultAddresses) {
        public static Values watching(String... namespaces) {
            return new Values(List.of(namespaces), false, List.of());
        }

        public static Values watchingAll() {
            return new Values(List.of(), true, List.of());
        }

        public Values allowingVault(String address) {
            return new Values(watchNamespaces, watchAllNamespaces, List.of(address));
        }
    }

    /** Installs the chart as release {@code release} in {@code namespace}, and starts the operator as its ServiceAccount. */
    public static ChartOperator install(ControlPlane cp, String release, String namespace, Values values, PartyObserver observer) {
        KubernetesClient admin = cp.admin();
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).serverSideApply();
        InstallCommand install = new Helm(CHART).install().withName(release).withNamespace(namespace).withKubeConfig(cp.adminKubeconfig())
                .set("watchAllNamespaces", values.watchAllNamespaces());
        for (int i = 0; i < values.watchNamespaces().size(); i++) install = install.set("watchNamespaces[" + i + "]", values.watchNamespaces().get(i));
        for (int i = 0; i < values.vaultAddresses().size(); i++) install = install.set("vault.allowedAddresses[" + i + "]", values.vaultAddresses().get(i));
        install.call();

        String serviceAccount = release.contains("mpc-operator") ? release : release + "-mpc-operator";
        String apiToken = token(admin, namespace, serviceAccount, List.of());
        Path vaultToken;
        try {
            vaultToken = Files.writeString(Files.createTempFile(cp.workDir(), "vault-token-", ""), token(admin, namespace, serviceAccount, List.of("vault")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(cp.config(apiToken)).build();
        // what the chart's Deployment puts in the environment (templates/deployment.yaml)
        Map<String, String> env = new HashMap<>();
        env.put("MPC_OPERATOR_NAMESPACES", values.watchAllNamespaces() ? ""
                : values.watchNamespaces().isEmpty() ? namespace : String.join(",", values.watchNamespaces()));
        env.put("MPC_OPERATOR_NAMESPACE", namespace);
        env.put("MPC_PROMETHEUS_NAMESPACE", "monitoring");
        env.put("MPC_VAULT_ADDRESSES", String.join(",", values.vaultAddresses()));
        env.put("MPC_VAULT_TOKEN_FILE", vaultToken.toString());
        env.put("MPC_OPERATOR_LEASE", serviceAccount);
        try {
            Operator operator = OperatorMain.create(client, env, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), observer, false);
            operator.start();
            return new ChartOperator(client, operator, release, namespace, cp.adminKubeconfig());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A ServiceAccount token as the kubelet would project it (TokenRequest), for the given audiences. */
    public static String token(KubernetesClient admin, String namespace, String serviceAccount, List<String> audiences) {
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withAudiences(audiences).withExpirationSeconds(3600L).endSpec().build();
        return admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount).tokenRequest(request).getStatus().getToken();
    }

    /** The operator's own client: what it may do is what the chart's RBAC grants. */
    public KubernetesClient client() {
        return client;
    }

    /** Stops the operator and uninstalls the release (its CRDs stay, as Helm leaves them). */
    @Override
    public void close() {
        try {
            operator.stop();
        } finally {
            client.close();
            Helm.uninstall(release).withNamespace(namespace).withKubeConfig(adminKubeconfig).call();
        }
    }
}
