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
    private KeyBackends() {
    }

    /** With the policy from the operator's environment (MPC_VAULT_ADDRESSES, MPC_VAULT_TOKEN_FILE). */
    public static KeyBackend of(KubernetesClient client, KeySet ks) {
        return of(client, ks, VaultPolicy.fromEnvironment(System.getenv()));
    }

    public static java.util.function.BiFunction<KubernetesClient, KeySet, KeyBackend> with(VaultPolicy policy) {
        return (client, ks) -> of(client, ks, policy);
    }

    public static KeyBackend of(KubernetesClient client, KeySet ks, VaultPolicy policy) {
        String ns = ks.getMetadata().getNamespace();
        KeySetSpec.Vault v = ks.getSpec() == null ? null : ks.getSpec().vault;
        if (v == null) return new SecretKeyBackend(client, ns, ks.getMetadata().getName());
        if ((v.kubernetesAuth == null) == (v.tokenSecret == null)) {
            throw new IllegalArgumentException("set exactly one of spec.vault.kubernetesAuth and spec.vault.tokenSecret");
        }
        // before any Secret is read or any credential leaves: is this a Vault the operator may talk to at all?
        policy.check(v.address);
        Optional<String> ca = v.caSecret == null ? Optional.empty() : Optional.of(secretValue(client, ns, v.caSecret, "ca.crt"));
        VaultSettings.Auth auth = v.tokenSecret != null
                ? new VaultSettings.Token(secretValue(client, ns, v.tokenSecret, "token"))
                : new VaultSettings.Kubernetes(v.kubernetesAuth.role, v.kubernetesAuth.mountPath, () -> vaultToken(policy.tokenFile()));
        return new VaultKeyBackend(new VaultSettings(v.address, v.mount, v.pathPrefix, ca, auth));
    }

    private static String secretValue(KubernetesClient client, String ns, String name, String key) {
        Secret s = client.secrets().inNamespace(ns).withName(name).get();
        if (s == null || s.getData() == null || !s.getData().containsKey(key)) {
            throw new KeyBackend.BackendException("Secret " + ns + "/" + name + " with key '" + key + "' not found");
        }
        return SecretValues.decode(s.getData().get(key)).trim();
    }

    /** The projected token with audience "vault", read fresh at each login (the kubelet rotates it). */
    private static String vaultToken(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new KeyBackend.BackendException("cannot read the operator's Vault token (a projected ServiceAccount token with audience vault) at " + file);
        }
    }
}
