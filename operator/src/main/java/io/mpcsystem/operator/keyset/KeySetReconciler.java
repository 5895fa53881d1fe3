package io.mpcsystem.operator.keyset;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.mpcsystem.operator.crd.KeySet;
import io.mpcsystem.operator.crd.KeySetSpec;
import io.mpcsystem.operator.crd.KeySetStatus;
import io.mpcsystem.operator.crd.MpcCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.mpcsystem.operator.desired.DesiredParties;
import io.mpcsystem.operator.reconciler.ClusterEvents;
import io.mpcsystem.operator.reconciler.ResourceApplier;
import io.mpcsystem.operator.reconciler.StatusConditions;
import io.mpcsystem.operator.refresh.CoordinatorClient;
import io.mpcsystem.operator.refresh.RefreshCoordinator;
import io.mpcsystem.operator.refresh.RefreshPlan;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Keeps a KeySet's keys: creates version 1, rotates on schedule or on request as a controlled
 * rollout (one party at a time, see {@link RotationPlan}), rolls back on request, and destroys
 * retired versions after their grace period. It never touches key shares: the parties re-wrap
 * their own shares when they restart with a new current key and the old one as previous.
 */
// not generation-aware: the rotate and rollback requests are annotations, which do not move the generation
@ControllerConfiguration(generationAwareEventProcessing = false)
public class KeySetReconciler implements Reconciler<KeySet> {
    static final String READY = "Ready";
    static final String ROTATING = "Rotating";
    static final String DEGRADED = "Degraded";
    static final String BACKEND_READY = "BackendReady";
    static final String REFRESHING = "Refreshing";

    private final ResourceApplier applier;
    private final Clock clock;
    private final BiFunction<KubernetesClient, KeySet, KeyBackend> backends;
    private final PartyObserver observer;
    private final SecureRandom random;
    private final ClusterEvents events;
    private final BiFunction<KubernetesClient, MpcCluster, RefreshCoordinator> coordinators;
    /**
     * One backend per KeySet and generation: a Vault client logs in once and keeps its token
     * instead of logging in on every reconcile. Dropped when a call fails, so a changed token
     * Secret or CA is picked up on the next attempt.
     */
    private final Map<String, KeyBackend> backendCache = new java.util.concurrent.ConcurrentHashMap<>();
    private final KeySetMetrics metrics = KeySetMetrics.global();

    public KeySetReconciler(ResourceApplier applier, Clock clock, BiFunction<KubernetesClient, KeySet, KeyBackend> backends,
                            PartyObserver observer, SecureRandom random) {
        this(applier, clock, backends, observer, random, CoordinatorClient::inCluster);
    }

    public KeySetReconciler(ResourceApplier applier, Clock clock, BiFunction<KubernetesClient, KeySet, KeyBackend> backends,
                            PartyObserver observer, SecureRandom random, BiFunction<KubernetesClient, MpcCluster, RefreshCoordinator> coordinators) {
        this.coordinators = coordinators;
        this.applier = applier;
        this.clock = clock;
        this.backends = backends;
        this.observer = observer;
        this.random = random;
        this.events = new ClusterEvents(clock);
    }

    /** The parties' key Secrets (labelled, not owned): one deleted by hand is rewritten from the backend. */
    @Override
    public List<io.javaoperatorsdk.operator.processing.event.source.EventSource<?, KeySet>> prepareEventSources(
            io.javaoperatorsdk.operator.api.reconciler.EventSourceContext<KeySet> context) {
        return List.of(new io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource<>(
                io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration.from(Secret.class, KeySet.class)
                        .withName("kek-secrets")
                        .withLabelSelector(io.mpcsystem.operator.desired.Labels.MANAGED_BY + "=mpc-operator," + io.mpcsystem.operator.desired.Labels.COMPONENT
                                + "=" + DesiredParties.COMPONENT)
                        .withSecondaryToPrimaryMapper(s -> {
                            String cluster = s.getMetadata().getLabels() == null ? null : s.getMetadata().getLabels().get(io.mpcsystem.operator.desired.Labels.INSTANCE);
                            if (cluster == null) return java.util.Set.of();
                            MpcCluster c = context.getClient().resources(MpcCluster.class).inNamespace(s.getMetadata().getNamespace()).withName(cluster).get();
                            if (c == null || c.getSpec() == null || c.getSpec().keySetRef == null) return java.util.Set.of();
                            return java.util.Set.of(new io.javaoperatorsdk.operator.processing.event.ResourceID(c.getSpec().keySetRef, s.getMetadata().getNamespace()));
                        }).build(), context));
    }

    @Override
    public UpdateControl<KeySet> reconcile(KeySet ks, Context<KeySet> context) {
        KubernetesClient client = context.getClient();
        KeySetStatus status = ks.getStatus() == null ? new KeySetStatus() : ks.getStatus();
        ks.setStatus(status);
        long generation = ks.getMetadata().getGeneration() == null ? 0 : ks.getMetadata().getGeneration();
        status.observedGeneration = generation;

        List<MpcCluster> clusters = client.resources(MpcCluster.class).inNamespace(ks.getMetadata().getNamespace()).list().getItems().stream()
                .filter(c -> c.getSpec() != null && ks.getMetadata().getName().equals(c.getSpec().keySetRef)).toList();
        if (clusters.size() != 1) {
            String message = clusters.isEmpty() ? "no MpcCluster in this namespace names this KeySet in spec.keySetRef"
                    : "several MpcClusters name this KeySet (" + clusters.stream().map(c -> c.getMetadata().getName()).toList()
                    + "); each cluster needs its own KeySet, keys are never shared";
            status.conditions = StatusConditions.set(status.conditions, READY, false, clusters.isEmpty() ? "NoCluster" : "SharedKeySet", message, generation,
                    clock.instant());
            return UpdateControl.patchStatus(ks).rescheduleAfter(Duration.ofSeconds(30));
        }
        MpcCluster cluster = clusters.get(0);
        List<String> clusterProblems = io.mpcsystem.operator.reconciler.SpecCheck.problems(cluster.getSpec());
        if (!clusterProblems.isEmpty()) {
            // no keys for a cluster whose party count is not even known to be valid
            status.conditions = StatusConditions.set(status.conditions, READY, false, "ClusterInvalid", "MpcCluster " + cluster.getMetadata().getName()
                    + " has an invalid spec: " + String.join("; ", clusterProblems), generation, clock.instant());
            return UpdateControl.patchStatus(ks).rescheduleAfter(Duration.ofSeconds(30));
        }

        RotationPlan.Inputs inputs;
        Function<Boolean, RefreshPlan.Inputs> refreshInputs;
        KeyBackend backend;
        try {
            // a KeySet without a spec is valid: Secret backend, no schedule
            var rotation = ks.getSpec() == null || ks.getSpec().rotation == null ? new KeySetSpec.Rotation() : ks.getSpec().rotation;
            Optional<Duration> every = rotation.every == null || rotation.every.isBlank() ? Optional.empty()
                    : Optional.of(GoDuration.parse("spec.rotation.every", rotation.every));
            Duration timeout = GoDuration.parse("spec.rotation.partyTimeout", rotation.partyTimeout);
            Duration grace = GoDuration.parse("spec.rotation.retiredKeyGracePeriod", rotation.retiredKeyGracePeriod);
            Map<String, String> annotations = ks.getMetadata().getAnnotations() == null ? Map.of() : ks.getMetadata().getAnnotations();
            String name = ks.getMetadata().getName();
            inputs = new RotationPlan.Inputs(name, cluster.getSpec().parties.count, clock.instant(), every, timeout, grace,
                    annotations.get(KeySet.ROTATE_ANNOTATION), annotations.get(KeySet.ROLLBACK_ANNOTATION),
                    i -> observer.observe(client, cluster, i, KeyVersionHash.of(name, status.rotation.toVersion)), RefreshPlan.running(status));
            var refresh = ks.getSpec() == null || ks.getSpec().shareRefresh == null ? new KeySetSpec.ShareRefresh() : ks.getSpec().shareRefresh;
            Optional<Duration> refreshEvery = refresh.every == null || refresh.every.isBlank() ? Optional.empty()
                    : Optional.of(GoDuration.parse("spec.shareRefresh.every", refresh.every));
            Duration keyTimeout = GoDuration.parse("spec.shareRefresh.keyTimeout", refresh.keyTimeout);
            String created = ks.getMetadata().getCreationTimestamp();
            Instant createdAt = created == null ? null : Instant.parse(created);
            RefreshCoordinator coordinator = coordinators.apply(client, cluster);
            refreshInputs = rotationIdle -> new RefreshPlan.Inputs(clock.instant(), createdAt, refreshEvery, keyTimeout,
                    annotations.get(KeySet.REFRESH_ANNOTATION), rotationIdle, coordinator);
            String key = cacheKey(ks);
            String thisKeySet = ks.getMetadata().getNamespace() + "/" + ks.getMetadata().getName() + "/";
            backendCache.keySet().removeIf(k -> k.startsWith(thisKeySet) && !k.equals(key));
            backend = backendCache.computeIfAbsent(key, k -> backends.apply(client, ks));
        } catch (IllegalArgumentException e) {
            status.conditions = StatusConditions.set(status.conditions, READY, false, "InvalidSpec", e.getMessage(), generation, clock.instant());
            return UpdateControl.patchStatus(ks);
        } catch (KeyBackend.BackendException | KubernetesClientException e) {
            backendCache.remove(cacheKey(ks));
            return backendDown(client, ks, status, generation, e.getMessage());
        }
        status.backend = backend.describe();

        String ns = ks.getMetadata().getNamespace();
        int n = cluster.getSpec().parties.count;
        if (status.currentVersion == null) {
            // no recorded state: adopt keys that already exist rather than generate new ones over them
            try {
                var found = KeyAdoption.find(ns, ks.getMetadata().getName(), n,
                        i -> client.secrets().inNamespace(ns).withName(DesiredParties.kekSecret(cluster, i)).get(), backend);
                if (found.isPresent()) {
                    KeyAdoption.adopted(status, ks.getMetadata().getName(), n, found.get(), clock.instant());
                    events.normal(client, ks, "KeysAdopted", status.lastRotationResult);
                }
            } catch (KeyBackend.BackendException | KubernetesClientException e) {
                backendCache.remove(cacheKey(ks));
                status.conditions = StatusConditions.set(status.conditions, READY, false, "AdoptionRefused", e.getMessage(), generation, clock.instant());
                if (StatusConditions.changes(status.conditions, DEGRADED, true, e.getMessage())) events.warning(client, ks, "AdoptionRefused", e.getMessage());
                status.conditions = StatusConditions.set(status.conditions, DEGRADED, true, "AdoptionRefused", e.getMessage(), generation, clock.instant());
                return UpdateControl.patchStatus(ks).rescheduleAfter(Duration.ofSeconds(30));
            }
        }

        RotationPlan.Step step = RotationPlan.plan(status, inputs);
        try {
            for (RotationAction action : step.actions()) run(client, cluster, ks, backend, action);
        } catch (KeyBackend.BackendException | KubernetesClientException e) {
            // nothing recorded: the same step runs again, and its actions are idempotent
            backendCache.remove(cacheKey(ks));
            return backendDown(client, ks, status, generation, e.getMessage());
        }
        KeySetStatus afterRotation = step.next();
        try {
            if (RotationPlan.IDLE.equals(afterRotation.rotation.phase) && afterRotation.currentVersion != null) {
                List<Integer> restored = restoreSecrets(client, cluster, ks, backend, afterRotation.currentVersion);
                if (!restored.isEmpty()) events.warning(client, ks, "KekSecretRestored", "rewrote the key Secrets of parties " + restored
                        + " from " + backend.describe() + " (version " + afterRotation.currentVersion + ")");
            }
        } catch (KeyBackend.BackendException | KubernetesClientException e) {
            backendCache.remove(cacheKey(ks));
            return backendDown(client, ks, status, generation, e.getMessage());
        }
        RefreshPlan.Step refreshStep = RefreshPlan.plan(afterRotation, refreshInputs.apply(RotationPlan.IDLE.equals(afterRotation.rotation.phase)));
        KeySetStatus next = refreshStep.next();
        next.backend = backend.describe();
        next.observedGeneration = generation;
        setConditions(next, cluster, generation);
        metrics.record(ks.getMetadata().getNamespace(), ks.getMetadata().getName(), RotationPlan.FAILED.equals(next.rotation.phase),
                RefreshPlan.FAILED.equals(next.refresh.phase));
        for (RotationPlan.Event e : new RotationPlan.Event[] {step.event(), refreshStep.event()}) {
            if (e == null) continue;
            if (e.warning()) events.warning(client, ks, e.reason(), e.message());
            else events.normal(client, ks, e.reason(), e.message());
        }
        ks.setStatus(next);
        UpdateControl<KeySet> control = UpdateControl.patchStatus(ks);
        Duration recheck = sooner(step.recheckAfter(), refreshStep.recheckAfter());
        if (recheck != null) control.rescheduleAfter(recheck.isZero() ? Duration.ofMillis(200) : recheck);
        return control;
    }

    private static Duration sooner(Duration a, Duration b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void setConditions(KeySetStatus next, MpcCluster cluster, long generation) {
        var now = clock.instant();
        next.conditions = StatusConditions.set(next.conditions, BACKEND_READY, true, "Reachable", next.backend, generation, now);
        String phase = next.rotation.phase;
        boolean failed = RotationPlan.FAILED.equals(phase);
        boolean rotating = !failed && !RotationPlan.IDLE.equals(phase);
        next.conditions = StatusConditions.set(next.conditions, ROTATING, rotating, rotating ? next.rotation.kind : "NoRotation",
                rotating ? next.rotation.message : "no rotation in progress", generation, now);
        boolean refreshing = RefreshPlan.running(next);
        boolean refreshFailed = RefreshPlan.FAILED.equals(next.refresh.phase);
        next.conditions = StatusConditions.set(next.conditions, REFRESHING, refreshing, refreshing ? "Refreshing" : "NoRefresh",
                refreshing ? next.refresh.message : "no share refresh in progress", generation, now);
        String degradedReason = failed ? "RotationFailed" : refreshFailed ? "RefreshFailed" : "Healthy";
        String degradedMessage = failed ? next.rotation.message : refreshFailed ? next.refresh.message : "every party can decrypt its shares";
        next.conditions = StatusConditions.set(next.conditions, DEGRADED, failed || refreshFailed, degradedReason, degradedMessage, generation, now);
        // a failed refresh leaves every share usable (its parties discarded what they staged), so the keys stay Ready
        next.conditions = StatusConditions.set(next.conditions, READY, !failed, failed ? "RotationFailed" : "KeysInPlace",
                "key version " + next.currentVersion + " for " + cluster.getSpec().parties.count + " parties; " + next.backend, generation, now);
    }

    private static String cacheKey(KeySet ks) {
        return ks.getMetadata().getNamespace() + "/" + ks.getMetadata().getName() + "/" + ks.getMetadata().getUid() + "/" + ks.getMetadata().getGeneration();
    }

    private UpdateControl<KeySet> backendDown(KubernetesClient client, KeySet ks, KeySetStatus status, long generation, String message) {
        if (StatusConditions.changes(status.conditions, BACKEND_READY, false, message)) events.warning(client, ks, "BackendUnavailable", message);
        status.conditions = StatusConditions.set(status.conditions, BACKEND_READY, false, "Unavailable", message, generation, clock.instant());
        return UpdateControl.patchStatus(ks).rescheduleAfter(Duration.ofSeconds(15));
    }

    private void run(KubernetesClient client, MpcCluster cluster, KeySet ks, KeyBackend backend, RotationAction action) {
        String ns = ks.getMetadata().getNamespace();
        String name = ks.getMetadata().getName();
        int n = cluster.getSpec().parties.count;
        if (action instanceof RotationAction.WriteKeys w) {
            for (int i = 1; i <= n; i++) {
                PartyKey candidate = PartyKey.generate(random);
                backend.putIfAbsent(new KeyRef(ns, name, i, w.version()), candidate).wipe();
                candidate.wipe();
            }
        } else if (action instanceof RotationAction.WriteSecrets w) {
            for (int i = 1; i <= n; i++) {
                PartyKey current = require(backend, new KeyRef(ns, name, i, w.current()));
                PartyKey previous = w.previous() == null ? null : require(backend, new KeyRef(ns, name, i, w.previous()));
                refuseOverwrite(client.secrets().inNamespace(ns).withName(DesiredParties.kekSecret(cluster, i)).get(), current, previous);
                applier.apply(client, PartyKekSecret.of(cluster, i, current, w.current(), previous, w.previous()));
                current.wipe();
                if (previous != null) previous.wipe();
            }
        } else if (action instanceof RotationAction.RetireVersion r) {
            for (int i = 1; i <= n; i++) backend.retire(new KeyRef(ns, name, i, r.version()), clock.instant());
        } else if (action instanceof RotationAction.DestroyVersion d) {
            for (int i = 1; i <= n; i++) backend.destroy(new KeyRef(ns, name, i, d.version()));
        }
    }

    /**
     * A KEK Secret that holds a key is only ever rewritten with that same key as current or previous:
     * anything else could make the party's shares unreadable (a KeySet recreated without status, two
     * KeySets for one cluster, a hand-made Secret).
     */
    static void refuseOverwrite(Secret existing, PartyKey current, PartyKey previous) {
        if (existing == null || existing.getData() == null || existing.getData().get("current") == null) return;
        PartyKey held;
        try {
            held = PartyKey.fromHex(SecretValues.decode(existing.getData().get("current")));
        } catch (IllegalArgumentException e) {
            throw new KeyBackend.BackendException("Secret " + existing.getMetadata().getName() + " holds something that is not a key; refusing to overwrite it");
        }
        boolean known = held.sameAs(current) || (previous != null && held.sameAs(previous));
        held.wipe();
        if (!known) {
            throw new KeyBackend.BackendException("Secret " + existing.getMetadata().getName() + " holds a key that is neither of the versions being written;"
                    + " refusing to overwrite it (it may be the only key that opens the party's shares)");
        }
    }

    /** Rewrites, from the backend, the Secrets of parties whose Secret was deleted or emptied. */
    private List<Integer> restoreSecrets(KubernetesClient client, MpcCluster cluster, KeySet ks, KeyBackend backend, int version) {
        String ns = ks.getMetadata().getNamespace();
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = 1; i <= cluster.getSpec().parties.count; i++) {
            Secret s = client.secrets().inNamespace(ns).withName(DesiredParties.kekSecret(cluster, i)).get();
            if (s != null && s.getData() != null && s.getData().get("current") != null) continue;
            PartyKey current = require(backend, new KeyRef(ns, ks.getMetadata().getName(), i, version));
            applier.apply(client, PartyKekSecret.of(cluster, i, current, version, null, null));
            current.wipe();
            out.add(i);
        }
        return out;
    }

    /** A key the rotation relies on is gone: stop rather than hand a party a Secret it cannot use. */
    private static PartyKey require(KeyBackend backend, KeyRef ref) {
        return backend.read(ref).orElseThrow(() -> new KeyBackend.BackendException("key " + ref.path() + " is missing from " + backend.describe()));
    }
}
