package io.mpcsystem.operator.keyset;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Keys kept in one Kubernetes Secret ({@code <keyset>-keystore}), for development clusters
 * without Vault: anyone who can read Secrets in the namespace reads every party's key, which is
 * what the KeySet's status says. The Secret has no owner reference on purpose: deleting the
 * KeySet must not delete the only copy of the keys.
 */
public final class SecretKeyBackend implements KeyBackend {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;

    public SecretKeyBackend(KubernetesClient client, String namespace, String keySet) {
        this.client = client;
        this.namespace = namespace;
        this.name = keySet + "-keystore";
    }

    private static String keyEntry(KeyRef ref) {
        return "party-" + ref.party() + "-v" + ref.version();
    }

    private static String retiredEntry(KeyRef ref) {
        return keyEntry(ref) + ".retired-at";
    }

    @Override
    public PartyKey putIfAbsent(KeyRef ref, PartyKey candidate) {
        Optional<PartyKey> existing = read(ref);
        if (existing.isPresent()) return existing.get();
        update(data -> {
            data.putIfAbsent(keyEntry(ref), SecretValues.encode(candidate.hex()));
            return data;
        });
        // read back: under a concurrent writer the stored key wins, never the candidate
        return read(ref).orElseThrow(() -> new BackendException("key " + ref.path() + " was not stored"));
    }

    @Override
    public Optional<PartyKey> read(KeyRef ref) {
        String v = data().get(keyEntry(ref));
        return v == null ? Optional.empty() : Optional.of(PartyKey.fromHex(SecretValues.decode(v)));
    }

    @Override
    public void retire(KeyRef ref, Instant at) {
        update(data -> {
            if (data.containsKey(keyEntry(ref))) data.putIfAbsent(retiredEntry(ref), SecretValues.encode(at.toString()));
            return data;
        });
    }

    @Override
    public Optional<Instant> retiredAt(KeyRef ref) {
        String v = data().get(retiredEntry(ref));
        return v == null ? Optional.empty() : Optional.of(Instant.parse(SecretValues.decode(v)));
    }

    @Override
    public void destroy(KeyRef ref) {
        update(data -> {
            data.remove(keyEntry(ref));
            data.remove(retiredEntry(ref));
            return data;
        });
    }

    @Override
    public java.util.List<Integer> versions(String ns, String keySet, int party) {
        java.util.regex.Pattern entry = java.util.regex.Pattern.compile("party-" + party + "-v([0-9]{1,9})");
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        for (String k : data().keySet()) {
            var m = entry.matcher(k);
            if (m.matches()) out.add(Integer.parseInt(m.group(1)));
        }
        return java.util.List.copyOf(out);
    }

    @Override
    public String describe() {
        return "kubernetes-secret " + name + " (development only: no Vault configured)";
    }

    private Map<String, String> data() {
        try {
            Secret s = client.secrets().inNamespace(namespace).withName(name).get();
            return s == null || s.getData() == null ? Map.of() : s.getData();
        } catch (KubernetesClientException e) {
            throw new BackendException("cannot read Secret " + namespace + "/" + name + " (HTTP " + e.getCode() + ")", e);
        }
    }

    /** Read-modify-write with optimistic locking, retried on a conflict. */
    private void update(UnaryOperator<Map<String, String>> change) {
        for (int attempt = 0; ; attempt++) {
            try {
                Secret s = client.secrets().inNamespace(namespace).withName(name).get();
                if (s == null) {
                    Map<String, String> data = change.apply(new HashMap<>());
                    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                            .addToLabels("app.kubernetes.io/managed-by", "mpc-operator").endMetadata().withType("Opaque").withData(data).build()).create();
                } else {
                    Map<String, String> data = change.apply(new HashMap<>(s.getData() == null ? Map.of() : s.getData()));
                    s.setData(data);
                    client.secrets().inNamespace(namespace).resource(s).update();
                }
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 5) {
                    throw new BackendException("cannot write Secret " + namespace + "/" + name + " (HTTP " + e.getCode() + ")", e);
                }
            }
        }
    }
}
