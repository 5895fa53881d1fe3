package io.mpcsystem.operator.keyset;

import io.fabric8.kubernetes.api.model.Secret;
import io.mpcsystem.operator.crd.KeySetStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * A KeySet without status (recreated by GitOps, restored by Velero) whose keys already exist: the
 * parties' Secrets and the backend are looked at before anything is generated, and what is there
 * is adopted. The Secrets are what the parties run with, so their version wins; the backend must
 * agree (a key missing there is restored from the Secret; a different key stops everything, since
 * one of the two cannot open the shares). Without Secrets, the newest version every party has in
 * the backend, not retired, is adopted. Nothing is adopted (and new keys are made) only when
 * neither holds a key.
 */
public final class KeyAdoption {
    private KeyAdoption() {
    }

    /** What was found: the version to run with and the highest one ever used. */
    public record Found(int current, int highest, String source) {
    }

    /**
     * @param secrets party index (1..n) to its KEK Secret, or null
     * @return empty when there is nothing to adopt
     * @throws KeyBackend.BackendException when what exists disagrees; the message names Secrets and versions, never keys
     */
    public static Optional<Found> find(String namespace, String keySet, int parties, IntFunction<Secret> secrets, KeyBackend backend) {
        Map<Integer, Integer> secretVersion = new java.util.TreeMap<>();
        int highest = 0;
        for (int i = 1; i <= parties; i++) {
            Secret s = secrets.apply(i);
            if (s == null || s.getData() == null || !s.getData().containsKey("current")) continue;
            String v = s.getData().get("current-version");
            int version;
            try {
                version = Integer.parseInt(SecretValues.decode(v).trim());
            } catch (RuntimeException e) {
                throw new KeyBackend.BackendException("Secret " + s.getMetadata().getName() + " holds a key without a readable current-version; refusing to adopt or replace it");
            }
            secretVersion.put(i, version);
            highest = Math.max(highest, version);
        }
        List<List<Integer>> stored = new ArrayList<>();
        for (int i = 1; i <= parties; i++) {
            List<Integer> vs = backend.versions(namespace, keySet, i);
            stored.add(vs);
            for (int v : vs) highest = Math.max(highest, v);
        }
        if (!secretVersion.isEmpty()) {
            TreeSet<Integer> distinct = new TreeSet<>(secretVersion.values());
            if (distinct.size() > 1) {
                throw new KeyBackend.BackendException("the parties' key Secrets name different current versions " + secretVersion
                        + "; refusing to adopt or replace them: fix them by hand");
            }
            int v = distinct.first();
            for (Map.Entry<Integer, Integer> e : secretVersion.entrySet()) {
                int i = e.getKey();
                PartyKey inSecret;
                try {
                    inSecret = PartyKey.fromHex(SecretValues.decode(secrets.apply(i).getData().get("current")));
                } catch (IllegalArgumentException malformed) {
                    throw new KeyBackend.BackendException("party " + i + "'s Secret holds something that is not a key; refusing to adopt or replace it");
                }
                KeyRef ref = new KeyRef(namespace, keySet, i, v);
                PartyKey kept = backend.putIfAbsent(ref, inSecret);
                boolean same = kept.sameAs(inSecret);
                kept.wipe();
                inSecret.wipe();
                if (!same) {
                    throw new KeyBackend.BackendException("party " + i + "'s Secret holds a different key than " + ref.path() + " in " + backend.describe()
                            + "; refusing to adopt or replace either: one of them cannot open the party's shares");
                }
            }
            return Optional.of(new Found(v, highest, "the parties' Secrets (version " + v + ")"));
        }
        if (highest == 0) return Optional.empty();
        TreeSet<Integer> common = new TreeSet<>(stored.get(0));
        for (List<Integer> vs : stored) common.retainAll(vs);
        for (Integer v : common.descendingSet()) {
            boolean usable = true;
            for (int i = 1; i <= parties && usable; i++) {
                KeyRef ref = new KeyRef(namespace, keySet, i, v);
                Optional<PartyKey> k = backend.read(ref);
                usable = k.isPresent() && backend.retiredAt(ref).isEmpty();
                k.ifPresent(PartyKey::wipe);
            }
            if (usable) return Optional.of(new Found(v, highest, backend.describe() + " (version " + v + ")"));
        }
        throw new KeyBackend.BackendException(backend.describe() + " holds keys for this KeySet but no version every party has and none retired;"
                + " refusing to create new keys over them");
    }

    /** The status of an adopted KeySet: idle, every party at the adopted version. */
    public static KeySetStatus adopted(KeySetStatus s, String keySet, int parties, Found f, java.time.Instant now) {
        s.currentVersion = f.current();
        s.highestVersion = f.highest();
        s.parties = new ArrayList<>();
        for (int i = 1; i <= parties; i++) s.parties.add(new KeySetStatus.PartyKeyStatus(i, f.current(), KeyVersionHash.of(keySet, f.current())));
        s.rotation = new KeySetStatus.RotationStatus();
        s.lastRotationTime = now.toString();
        s.lastRotationResult = "Adopted: version " + f.current() + " from " + f.source();
        return s;
    }
}
