package io.mpcsystem.operator.keyset;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.mpcsystem.operator.crd.KeySet;
import io.mpcsystem.operator.crd.KeySetSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The backend a KeySet's spec asks for: Vault when configured, a Kubernetes Secret otherwise. */
public final class KeyBackends {
    /** Where Kubernetes mounts the operator's ServiceAccount token, for Vault's Kubernetes login. */
    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private KeyBackends() {
    }

    public static KeyBackend of(KubernetesClient client, KeySet ks) {
        String ns = ks.getMetadata().getNamespace();
        KeySetSpec.Vault v = ks.getSpec() == null ? null : ks.getSpec().vault;
        if (v == null) return new SecretKeyBackend(client, ns, ks.getMetadata().getName());
        if ((v.kubernetesAuth == null) == (v.tokenSecret == null)) {
            throw new IllegalArgumentException("set exactly one of spec.vault.kubernetesAuth and spec.vault.tokenSecret");
        }
        Optional<String> ca = v.caSecret == null ? Optional.empty() : Optional.of(secretValue(client, ns, v.caSecret, "ca.crt"));
        VaultSettings.Auth auth = v.tokenSecret != null
                ? new VaultSettings.Token(secretValue(client, ns, v.tokenSecret, "token"))
                : new VaultSettings.Kubernetes(v.kubernetesAuth.role, v.kubernetesAuth.mountPath, KeyBackends::serviceAccountToken);
        return new VaultKeyBackend(new VaultSettings(v.address, v.mount, v.pathPrefix, ca, auth));
    }

    private static String secretValue(KubernetesClient client, String ns, String name, String key) {
        Secret s = client.secrets().inNamespace(ns).withName(name).get();
        if (s == null || s.getData() == null || !s.getData().containsKey(key)) {
            throw new KeyBackend.BackendException("Secret " + ns + "/" + name + " with key '" + key + "' not found");
        }
        return SecretValues.decode(s.getData().get(key)).trim();
    }

    private static String serviceAccountToken() {
        try {
            return Files.readString(SERVICE_ACCOUNT_TOKEN).trim();
        } catch (IOException e) {
            throw new KeyBackend.BackendException("cannot read the operator's ServiceAccount token at " + SERVICE_ACCOUNT_TOKEN);
        }
    }
}
