package io.mpcsystem.operator.reconciler;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.mpcsystem.operator.desired.DesiredParties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rolls a change of the parties' pod template (image, log level, settings, TLS certificate) out
 * one party at a time, each verified rolled and ready before the next, so that a bad
 * change stops at the first party instead of taking all of them, and signing goes on with the
 * others. The key-version annotation is left out: the KeySet's rotation releases it one party at a
 * time itself, and a held-back party still gets it. A pure function: given the desired and the existing StatefulSets, which template each
 * gets now.
 */
public final class PartyRollout {
    /** Hash of the desired pod template (without this annotation): what the operator compares. */
    public static final String TEMPLATE_HASH_ANNOTATION = "mpc.mpcsystem.io/template-hash";

    private PartyRollout() {
    }

    /**
     * What to apply.
     *
     * @param apply        the StatefulSets to apply, in party order (held-back parties keep their running template)
     * @param rollingParty the party now rolling (or still settling), null when none
     * @param waiting      parties whose new template is held back
     * @param blockedBy    a party that is not ready on its current template, which holds the rollout of ready ones (null: none)
     */
    public record Plan(List<StatefulSet> apply, Integer rollingParty, List<Integer> waiting, Integer blockedBy) {
        public boolean progressing() {
            return rollingParty != null || !waiting.isEmpty();
        }
    }

    public static String hash(PodTemplateSpec template) {
        PodTemplateSpec copy = Serialization.clone(template);
        if (copy.getMetadata() != null && copy.getMetadata().getAnnotations() != null) {
            copy.getMetadata().getAnnotations().remove(TEMPLATE_HASH_ANNOTATION);
            // the key version is the KeySet's own one-party-at-a-time rollout, never held back here
            copy.getMetadata().getAnnotations().remove(DesiredParties.KEK_HASH_ANNOTATION);
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Serialization.asJson(copy).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts the template hash on a desired StatefulSet's template. */
    public static StatefulSet stamp(StatefulSet s) {
        PodTemplateSpec t = s.getSpec().getTemplate();
        Map<String, String> a = t.getMetadata().getAnnotations() == null ? new HashMap<>() : new HashMap<>(t.getMetadata().getAnnotations());
        a.put(TEMPLATE_HASH_ANNOTATION, hash(t));
        t.getMetadata().setAnnotations(a);
        return s;
    }

    public static String templateHash(StatefulSet s) {
        var m = s.getSpec() == null || s.getSpec().getTemplate() == null ? null : s.getSpec().getTemplate().getMetadata();
        return m == null || m.getAnnotations() == null ? null : m.getAnnotations().get(TEMPLATE_HASH_ANNOTATION);
    }

    /** The StatefulSet controller has rolled its current template and the pod is ready. */
    public static boolean settled(StatefulSet s) {
        var st = s.getStatus();
        if (st == null) return false;
        long generation = s.getMetadata().getGeneration() == null ? 0 : s.getMetadata().getGeneration();
        if (st.getObservedGeneration() != null && st.getObservedGeneration() < generation) return false;
        if (st.getUpdateRevision() != null && st.getCurrentRevision() != null && !Objects.equals(st.getUpdateRevision(), st.getCurrentRevision())) return false;
        return st.getReadyReplicas() != null && st.getReadyReplicas() >= 1;
    }

    /** The StatefulSet controller has not yet observed or finished rolling the current template. */
    static boolean midUpdate(StatefulSet s) {
        var st = s.getStatus();
        if (st == null) return true;
        long generation = s.getMetadata().getGeneration() == null ? 0 : s.getMetadata().getGeneration();
        if (st.getObservedGeneration() != null && st.getObservedGeneration() < generation) return true;
        return st.getUpdateRevision() != null && st.getCurrentRevision() != null && !Objects.equals(st.getUpdateRevision(), st.getCurrentRevision());
    }

    private static boolean ready(StatefulSet s) {
        return s.getStatus() != null && s.getStatus().getReadyReplicas() != null && s.getStatus().getReadyReplicas() >= 1;
    }

    /**
     * Never two parties down because of a rollout: a party already rolled and still settling is
     * the one rolling; a party down on its current template holds the rollout of ready parties (they
     * would be a second one down); a party that is down and has a new template goes first (rolling it
     * costs nothing, and it may be the fix).
     *
     * @param desired  party i at index i - 1, stamped
     * @param existing party index to its StatefulSet as it is now (absent: not created yet)
     * @param rolling  the party recorded as rolling, if any
     */
    public static Plan plan(List<StatefulSet> desired, Map<Integer, StatefulSet> existing, Integer rolling) {
        Integer busy = null;
        Integer down = null;
        List<Integer> differing = new ArrayList<>();
        for (int i = 1; i <= desired.size(); i++) {
            StatefulSet e = existing.get(i);
            if (e == null) continue;
            if (!Objects.equals(templateHash(e), templateHash(desired.get(i - 1)))) {
                differing.add(i);
            } else if (!settled(e)) {
                if (Objects.equals(rolling, i) || midUpdate(e)) {
                    if (busy == null) busy = i;
                } else if (down == null) {
                    down = i;
                }
            }
        }
        // parties that are down go first, then in index order
        List<Integer> order = new ArrayList<>();
        for (int i : differing) if (!ready(existing.get(i))) order.add(i);
        for (int i : differing) if (ready(existing.get(i))) order.add(i);
        Integer now = busy;
        java.util.Set<Integer> roll = new java.util.HashSet<>();
        if (busy == null) {
            for (int i : order) {
                if (down != null && ready(existing.get(i))) break;
                now = i;
                roll.add(i);
                break;
            }
        }
        List<StatefulSet> out = new ArrayList<>();
        List<Integer> waiting = new ArrayList<>();
        for (int i = 1; i <= desired.size(); i++) {
            StatefulSet d = desired.get(i - 1);
            StatefulSet e = existing.get(i);
            if (e == null || !differing.contains(i) || roll.contains(i)) {
                out.add(d);
                continue;
            }
            waiting.add(i);
            StatefulSet held = Serialization.clone(d);
            PodTemplateSpec running = Serialization.clone(e.getSpec().getTemplate());
            Map<String, String> a = running.getMetadata().getAnnotations() == null ? new HashMap<>() : new HashMap<>(running.getMetadata().getAnnotations());
            String kek = d.getSpec().getTemplate().getMetadata().getAnnotations().get(DesiredParties.KEK_HASH_ANNOTATION);
            if (kek != null) a.put(DesiredParties.KEK_HASH_ANNOTATION, kek);
            running.getMetadata().setAnnotations(a);
            held.getSpec().setTemplate(running);
            out.add(held);
        }
        return new Plan(out, now, waiting, waiting.isEmpty() ? null : down);
    }
}
