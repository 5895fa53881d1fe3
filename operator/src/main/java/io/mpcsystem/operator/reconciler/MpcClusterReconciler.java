package io.mpcsystem.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.mpcsystem.operator.crd.KeySet;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.crd.MpcClusterStatus;
import io.mpcsystem.operator.desired.Component;
import io.mpcsystem.operator.desired.DesiredConfigMap;
import io.mpcsystem.operator.desired.DesiredDeployment;
import io.mpcsystem.operator.desired.DesiredDisruptionBudgets;
import io.mpcsystem.operator.desired.DesiredNetworkPolicies;
import io.mpcsystem.operator.desired.DesiredParties;
import io.mpcsystem.operator.desired.DesiredService;
import io.mpcsystem.operator.desired.DesiredServiceAccounts;
import io.mpcsystem.operator.desired.DesiredServiceMonitor;
import io.mpcsystem.operator.desired.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.mpcsystem.operator.desired.WorkloadTls;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mpcsystem.operator.desired.ClusterSecrets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Turns an MpcCluster into its workloads, Services, ConfigMap, ServiceAccounts, disruption budgets,
 * NetworkPolicies and (where Prometheus Operator is installed) ServiceMonitor, and reports what it
 * sees. An invalid spec builds nothing; a change of the party count is refused, because parties
 * removed or added would orphan key shares or hold none.
 */
@ControllerConfiguration
public class MpcClusterReconciler implements Reconciler<MpcCluster> {
    static final String READY = "Ready";
    static final String SPEC_VALID = "SpecValid";
    static final String MONITORING = "Monitoring";
    static final String KEYS_READY = "KeysReady";

    private final ResourceApplier applier;
    private final Clock clock;
    private final ClusterEvents events;
    private final DesiredNetworkPolicies.Peers peers;
    private final SecureRandom random;

    public MpcClusterReconciler(ResourceApplier applier, Clock clock) {
        this(applier, clock, DesiredNetworkPolicies.Peers.DEFAULT, new SecureRandom());
    }

    public MpcClusterReconciler(ResourceApplier applier, Clock clock, DesiredNetworkPolicies.Peers peers, SecureRandom random) {
        this.applier = applier;
        this.clock = clock;
        this.events = new ClusterEvents(clock);
        this.peers = peers;
        this.random = random;
    }

    /** Label on everything the operator creates: informers watch only these objects. */
    static final String MANAGED = Labels.MANAGED_BY + "=mpc-operator";
    static final String PROGRESSING = "Progressing";
    static final String AVAILABLE = "Available";
    static final String APPLIED = "Applied";

    @Override
    public List<EventSource<?, MpcCluster>> prepareEventSources(EventSourceContext<MpcCluster> context) {
        // owned objects, watched through label-filtered informers: a change or a deletion by hand
        // brings the owner back to reconcile, and the operator caches only its own objects
        List<EventSource<?, MpcCluster>> out = new ArrayList<>();
        for (Class<? extends HasMetadata> type : List.of(Deployment.class, StatefulSet.class, Service.class, ConfigMap.class, PodDisruptionBudget.class,
                NetworkPolicy.class, ServiceAccount.class, Secret.class)) {
            out.add(owned(type, context));
        }
        // a KeySet's rotation releasing a party changes its status: the clusters naming it apply the new pod-template hash
        out.add(new InformerEventSource<>(InformerEventSourceConfiguration.from(KeySet.class, MpcCluster.class)
                .withSecondaryToPrimaryMapper(ks -> context.getPrimaryCache().list(ks.getMetadata().getNamespace())
                        .filter(c -> c.getSpec() != null && ks.getMetadata().getName().equals(c.getSpec().keySetRef))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context));
        return out;
    }

    private static <T extends HasMetadata> EventSource<?, MpcCluster> owned(Class<T> type, EventSourceContext<MpcCluster> context) {
        // by controller reference, or (objects deliberately not owned: key-encryption-key Secrets, a TLS
        // Secret cert-manager writes with the cluster's labels) by the app.kubernetes.io/instance label
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, MpcCluster.class).withName(type.getSimpleName().toLowerCase())
                .withLabelSelector(MANAGED).withSecondaryToPrimaryMapper(o -> {
                    java.util.Set<ResourceID> out = new java.util.HashSet<>();
                    for (var r : o.getMetadata().getOwnerReferences() == null ? List.<io.fabric8.kubernetes.api.model.OwnerReference>of() : o.getMetadata().getOwnerReferences()) {
                        if ("MpcCluster".equals(r.getKind())) out.add(new ResourceID(r.getName(), o.getMetadata().getNamespace()));
                    }
                    String instance = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(Labels.INSTANCE);
                    if (out.isEmpty() && instance != null) out.add(new ResourceID(instance, o.getMetadata().getNamespace()));
                    return out;
                }).build(), context);
    }

    @Override
    public UpdateControl<MpcCluster> reconcile(MpcCluster cluster, Context<MpcCluster> context) {
        KubernetesClient client = context.getClient();
        MpcClusterStatus status = cluster.getStatus() == null ? new MpcClusterStatus() : cluster.getStatus();
        cluster.setStatus(status);
        long generation = cluster.getMetadata().getGeneration() == null ? 0 : cluster.getMetadata().getGeneration();
        status.observedGeneration = generation;
        String previousPhase = status.phase;
        String ns = cluster.getMetadata().getNamespace();

        List<String> problems = SpecCheck.problems(cluster.getSpec());
        Map<Integer, StatefulSet> parties = existingParties(client, cluster);
        boolean countRefused = false;
        if (problems.isEmpty()) {
            // the count the parties were built with: recorded, or (status lost) the highest party index that exists;
            // a party deleted by hand does not change it, and is recreated below
            int established = status.partyCount != null ? status.partyCount : parties.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (established > 0 && established != cluster.getSpec().parties.count) {
                countRefused = true;
                problems = List.of("spec.parties.count cannot change from " + established + " to " + cluster.getSpec().parties.count
                        + ": removing a party orphans its key shares and an added party holds none; create a new cluster and move keys by resharing");
            }
        }
        if (!problems.isEmpty()) {
            String message = String.join("; ", problems);
            if (StatusConditions.changes(status.conditions, SPEC_VALID, false, message)) {
                events.warning(client, cluster, countRefused ? "PartyCountChangeRefused" : "InvalidSpec", message);
            }
            status.phase = parties.isEmpty() ? "Pending" : "Degraded";
            status.conditions = StatusConditions.set(status.conditions, SPEC_VALID, false, countRefused ? "PartyCountChangeRefused" : "InvalidSpec",
                    message, generation, clock.instant());
            return UpdateControl.patchStatus(cluster);
        }
        status.conditions = StatusConditions.set(status.conditions, SPEC_VALID, true, "Valid", "spec accepted", generation, clock.instant());

        // every failure below is collected, reported as a condition, and does not stop the rest from being applied
        List<String> errors = new ArrayList<>();
        KeySet keySet = null;
        try {
            // read once: it gives the parties' pod-template hashes (the KeySet's rotation moves them) and the KeysReady condition
            keySet = cluster.getSpec().keySetRef == null ? null : client.resources(KeySet.class).inNamespace(ns).withName(cluster.getSpec().keySetRef).get();
        } catch (KubernetesClientException e) {
            errors.add("reading KeySet " + cluster.getSpec().keySetRef + ": " + describe(e));
        }
        Map<Integer, String> keyHashes = new java.util.TreeMap<>(keySet == null || keySet.getStatus() == null ? Map.of() : keySet.getStatus().podKeyHashes());
        // a KeySet unreadable or gone for a moment must not reset every party's key annotation (and restart them all at once)
        parties.forEach((i, s) -> {
            var a = s.getSpec().getTemplate().getMetadata() == null ? null : s.getSpec().getTemplate().getMetadata().getAnnotations();
            if (a != null && a.get(DesiredParties.KEK_HASH_ANNOTATION) != null) keyHashes.putIfAbsent(i, a.get(DesiredParties.KEK_HASH_ANNOTATION));
        });
        try {
            ensureCredentials(client, cluster);
        } catch (KubernetesClientException e) {
            errors.add(describe(e));
        }
        String tlsHash = tlsHash(client, cluster, errors);
        List<HasMetadata> desired = desired(cluster, keyHashes, peers);
        List<StatefulSet> desiredParties = new ArrayList<>();
        List<HasMetadata> others = new ArrayList<>();
        for (HasMetadata o : desired) {
            if (tlsHash != null) stampTls(o, tlsHash);
            if (o instanceof StatefulSet s) desiredParties.add(PartyRollout.stamp(keepStorage(s, parties, errors)));
            else others.add(o);
        }
        for (HasMetadata o : others) apply(client, o, errors);
        Integer recorded = status.rollingParty == null || status.rollingParty == 0 ? null : status.rollingParty;
        PartyRollout.Plan rollout = PartyRollout.plan(desiredParties, parties, recorded);
        // with a KeySet, a party is created only once its key exists: created before, its pod could not
        // start (no KEK Secret to mount) and every party would restart when the keys arrive
        List<Integer> awaitingKeys = new ArrayList<>();
        for (StatefulSet s : rollout.apply()) {
            int index = Integer.parseInt(s.getMetadata().getLabels().get(DesiredParties.INDEX_LABEL));
            if (cluster.getSpec().keySetRef != null && !parties.containsKey(index) && kekHash(s).isEmpty()) awaitingKeys.add(index);
            else apply(client, s, errors);
        }
        // 0, not absent, when none: a status patch then always replaces a field that exists
        status.rollingParty = rollout.rollingParty() == null ? 0 : rollout.rollingParty();
        parties.forEach((i, existing) -> unstick(client, cluster, i, existing));
        status.partyCount = cluster.getSpec().parties.count;
        try {
            monitoring(client, cluster, status, generation);
            certificate(client, cluster, status, generation, errors);
        } catch (KubernetesClientException e) {
            errors.add(describe(e));
        }
        prune(client, cluster, desired, errors);
        keys(client, cluster, keySet, status, generation);

        String applied = errors.isEmpty() ? "every desired object applied" : String.join("; ", errors);
        if (!errors.isEmpty() && StatusConditions.changes(status.conditions, APPLIED, false, applied)) events.warning(client, cluster, "ApplyFailed", applied);
        status.conditions = StatusConditions.set(status.conditions, APPLIED, errors.isEmpty(), errors.isEmpty() ? "Applied" : "ApplyFailed", applied,
                generation, clock.instant());

        int coordinator = ready(client, cluster, Component.COORDINATOR);
        int router = ready(client, cluster, Component.ROUTER);
        int account = ready(client, cluster, Component.ACCOUNT_SERVICE);
        // the StatefulSets read before applying: applying changes no readiness
        long partiesReady = parties.values().stream()
                .filter(s -> s.getStatus() != null && s.getStatus().getReadyReplicas() != null && s.getStatus().getReadyReplicas() >= 1).count();
        status.coordinatorReady = coordinator;
        status.routerReady = router;
        status.accountServiceReady = account;
        int n = cluster.getSpec().parties.count;
        status.partiesReady = partiesReady + "/" + n;
        var spec = cluster.getSpec();
        // Ready only once every controller has rolled out what was applied: a StatefulSet's status
        // still counts a pod it is replacing as ready for a moment (seen on a real API server)
        boolean partiesSettled = desiredParties.stream().allMatch(d -> {
            StatefulSet existing = parties.get(Integer.parseInt(d.getMetadata().getLabels().get(DesiredParties.INDEX_LABEL)));
            // the key annotation too: the template hash leaves it out, and a party about to roll to a new key is not settled
            return existing != null && Objects.equals(PartyRollout.templateHash(d), PartyRollout.templateHash(existing))
                    && kekHash(d).equals(kekHash(existing)) && PartyRollout.settled(existing);
        });
        // a party pod cannot start before its KEK Secret exists: with a KeySet, Ready waits for every party's key
        boolean keysInPlace = cluster.getSpec().keySetRef == null || desiredParties.stream().allMatch(d -> !kekHash(d).isEmpty());
        boolean allReady = coordinator >= spec.coordinator.replicas && router >= spec.router.replicas && account >= spec.accountService.replicas
                && partiesReady >= n && partiesSettled && keysInPlace && rolledOut(client, cluster, Component.COORDINATOR, Component.ROUTER, Component.ACCOUNT_SERVICE);
        boolean canSign = coordinator >= 1 && router >= 1 && account >= 1 && partiesReady >= spec.parties.threshold;
        boolean ready = allReady && !rollout.progressing();
        boolean wasUp = "Ready".equals(previousPhase) || "Degraded".equals(previousPhase);
        status.phase = ready ? "Ready" : wasUp && !canSign ? "Degraded" : "Progressing";
        String message = "coordinator " + coordinator + "/" + spec.coordinator.replicas + ", router " + router + "/" + spec.router.replicas
                + ", account service " + account + "/" + spec.accountService.replicas + ", parties " + status.partiesReady
                + " (threshold " + spec.parties.threshold + ")";
        if (ready && !"Ready".equals(previousPhase)) events.normal(client, cluster, "Ready", "every replica is ready: " + message);
        if (!canSign && "Ready".equals(previousPhase)) events.warning(client, cluster, "Degraded", "the cluster lost components it needs to sign: " + message);
        status.conditions = StatusConditions.set(status.conditions, READY, ready, ready ? "AllReplicasReady" : wasUp ? "ReplicasNotReady" : "WaitingForComponents",
                message, generation, clock.instant());
        status.conditions = StatusConditions.set(status.conditions, AVAILABLE, canSign, canSign ? "CanSign" : "BelowThreshold", message, generation, clock.instant());
        String progress = !awaitingKeys.isEmpty() ? "parties " + awaitingKeys + " wait for their keys from KeySet " + spec.keySetRef + " before they are created"
                : rollout.rollingParty() != null ? "rolling party " + rollout.rollingParty() + " of " + n + " to its new pod template"
                + (rollout.waiting().isEmpty() ? "" : "; parties " + rollout.waiting() + " wait their turn")
                : rollout.blockedBy() != null ? "parties " + rollout.waiting() + " wait: party " + rollout.blockedBy()
                + " is not ready, and rolling another would take a second party down"
                : "every party runs its current pod template";
        boolean progressing = rollout.progressing() || !awaitingKeys.isEmpty();
        status.conditions = StatusConditions.set(status.conditions, PROGRESSING, progressing,
                !awaitingKeys.isEmpty() ? "AwaitingKeys" : rollout.progressing() ? "RollingParties" : "RolloutComplete", progress, generation, clock.instant());
        UpdateControl<MpcCluster> control = UpdateControl.patchStatus(cluster);
        // a rollout waits on pods the informers may not report promptly; failures are retried
        if (rollout.progressing() || !errors.isEmpty()) control.rescheduleAfter(java.time.Duration.ofSeconds(errors.isEmpty() ? 5 : 15));
        // not Ready yet: looked at again even if no event comes, so the status cannot stay at a stale count
        else if (!ready) control.rescheduleAfter(java.time.Duration.ofSeconds(15));
        // a TLS Secret the operator did not label is not watched: look at it now and then, so a renewal rolls the pods
        else if (WorkloadTls.on(cluster)) control.rescheduleAfter(java.time.Duration.ofMinutes(5));
        return control;
    }

    private static String kekHash(StatefulSet s) {
        var m = s.getSpec() == null || s.getSpec().getTemplate() == null ? null : s.getSpec().getTemplate().getMetadata();
        String h = m == null || m.getAnnotations() == null ? null : m.getAnnotations().get(DesiredParties.KEK_HASH_ANNOTATION);
        return h == null ? "" : h;
    }

    /** The API server's reason, never an object's content (a Secret's values must not reach a condition). */
    static String describe(KubernetesClientException e) {
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getClass().getSimpleName();
        if (reason.length() > 300) reason = reason.substring(0, 300) + "...";
        return "HTTP " + e.getCode() + ": " + reason;
    }

    private void apply(KubernetesClient client, HasMetadata o, List<String> errors) {
        try {
            applier.apply(client, o);
        } catch (KubernetesClientException e) {
            errors.add(o.getKind() + " " + o.getMetadata().getName() + ": " + describe(e));
        }
    }

    /** A StatefulSet's volume claims cannot change: an existing party keeps its own, and the difference is reported. */
    private static StatefulSet keepStorage(StatefulSet desired, Map<Integer, StatefulSet> existing, List<String> errors) {
        String index = desired.getMetadata().getLabels().get(DesiredParties.INDEX_LABEL);
        StatefulSet e = index == null ? null : existing.get(Integer.parseInt(index));
        if (e == null || e.getSpec().getVolumeClaimTemplates() == null) return desired;
        String want = storage(desired);
        String have = storage(e);
        if (!want.equals(have)) {
            errors.add("StatefulSet " + desired.getMetadata().getName() + ": storage cannot change from " + have + " to " + want
                    + " (volume claims are immutable; expand the PersistentVolumeClaim directly)");
            desired.getSpec().setVolumeClaimTemplates(e.getSpec().getVolumeClaimTemplates());
        }
        return desired;
    }

    private static String storage(StatefulSet s) {
        if (s.getSpec().getVolumeClaimTemplates() == null || s.getSpec().getVolumeClaimTemplates().isEmpty()) return "none";
        var spec = s.getSpec().getVolumeClaimTemplates().get(0).getSpec();
        Object size = spec.getResources() == null || spec.getResources().getRequests() == null ? null : spec.getResources().getRequests().get("storage");
        return "size " + size + ", class " + (spec.getStorageClassName() == null ? "(default)" : spec.getStorageClassName());
    }

    /** The TLS Secret's certificate hash for the pod templates; a missing Secret is reported, and the pods keep what they have. */
    private static String tlsHash(KubernetesClient client, MpcCluster cluster, List<String> errors) {
        if (!WorkloadTls.on(cluster)) return null;
        try {
            Secret s = client.secrets().inNamespace(cluster.getMetadata().getNamespace()).withName(cluster.getSpec().tlsSecret).get();
            if (s == null || s.getData() == null || !s.getData().containsKey("tls.crt")) {
                errors.add("TLS Secret " + cluster.getSpec().tlsSecret + " does not exist yet or has no tls.crt");
                return "";
            }
            return WorkloadTls.secretHash(s.getData());
        } catch (KubernetesClientException e) {
            errors.add("reading TLS Secret " + cluster.getSpec().tlsSecret + ": " + describe(e));
            return "";
        }
    }

    private static void stampTls(HasMetadata o, String hash) {
        io.fabric8.kubernetes.api.model.PodTemplateSpec t = o instanceof Deployment d ? d.getSpec().getTemplate()
                : o instanceof StatefulSet s ? s.getSpec().getTemplate() : null;
        if (t == null) return;
        Map<String, String> a = new java.util.TreeMap<>(t.getMetadata().getAnnotations() == null ? Map.of() : t.getMetadata().getAnnotations());
        a.put(WorkloadTls.TLS_HASH_ANNOTATION, hash);
        t.getMetadata().setAnnotations(a);
    }

    /**
     * A party pod that never became ready blocks its StatefulSet's rolling update (the controller
     * waits for it, kubernetes/kubernetes#67250): once the StatefulSet has a newer revision, the
     * stuck pod is deleted so the controller creates it from the new template (a key rollback, a
     * fixed image). Only a pod that is not ready and on an older revision: it serves nothing, and
     * the controller would replace it anyway if it were ready.
     */
    private static void unstick(KubernetesClient client, MpcCluster cluster, int party, StatefulSet existing) {
        var st = existing == null ? null : existing.getStatus();
        if (st == null || st.getUpdateRevision() == null || st.getUpdateRevision().equals(st.getCurrentRevision())
                || (st.getReadyReplicas() != null && st.getReadyReplicas() >= 1)) return;
        String podName = DesiredParties.partyId(cluster, party) + "-0";
        try {
            Pod pod = client.pods().inNamespace(cluster.getMetadata().getNamespace()).withName(podName).get();
            if (pod == null || podReady(pod)) return;
            String revision = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get("controller-revision-hash");
            if (revision != null && !revision.equals(existing.getStatus().getUpdateRevision())) {
                client.pods().inNamespace(cluster.getMetadata().getNamespace()).withName(podName).delete();
            }
        } catch (KubernetesClientException e) {
            // the next reconcile looks again
        }
    }

    static boolean podReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /**
     * Deletes what this cluster owns but no longer wants: NetworkPolicies after networkPolicy is
     * turned off, the ServiceMonitor, PodDisruptionBudgets of components scaled to one replica, a
     * cert-manager Certificate no longer asked for. Only objects carrying this cluster's controller
     * reference and labels; never StatefulSets (a party's shares), Secrets or PersistentVolumeClaims.
     */
    private void prune(KubernetesClient client, MpcCluster cluster, List<HasMetadata> desired, List<String> errors) {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        for (HasMetadata o : desired) wanted.add(o.getKind() + "/" + o.getMetadata().getName());
        if (Boolean.TRUE.equals(cluster.getSpec().serviceMonitor)) wanted.add("ServiceMonitor/" + cluster.getMetadata().getName());
        if (WorkloadTls.on(cluster) && cluster.getSpec().certManager != null) wanted.add("Certificate/" + cluster.getSpec().tlsSecret);
        String ns = cluster.getMetadata().getNamespace();
        Map<String, String> labels = Map.of(Labels.INSTANCE, cluster.getMetadata().getName(), Labels.MANAGED_BY, "mpc-operator");
        List<HasMetadata> candidates = new ArrayList<>();
        try {
            candidates.addAll(client.network().v1().networkPolicies().inNamespace(ns).withLabels(labels).list().getItems());
            candidates.addAll(client.policy().v1().podDisruptionBudget().inNamespace(ns).withLabels(labels).list().getItems());
            candidates.addAll(client.services().inNamespace(ns).withLabels(labels).list().getItems());
            candidates.addAll(client.configMaps().inNamespace(ns).withLabels(labels).list().getItems());
            candidates.addAll(client.serviceAccounts().inNamespace(ns).withLabels(labels).list().getItems());
            if (crdInstalled(client, DesiredServiceMonitor.CRD)) {
                candidates.addAll(client.genericKubernetesResources(DesiredServiceMonitor.API_VERSION, "ServiceMonitor").inNamespace(ns).withLabels(labels).list().getItems());
            }
            if (crdInstalled(client, WorkloadTls.CERTIFICATE_CRD)) {
                candidates.addAll(client.genericKubernetesResources("cert-manager.io/v1", "Certificate").inNamespace(ns).withLabels(labels).list().getItems());
            }
        } catch (KubernetesClientException e) {
            errors.add("listing owned objects to prune: " + describe(e));
            return;
        }
        for (HasMetadata o : candidates) {
            if (wanted.contains(o.getKind() + "/" + o.getMetadata().getName()) || !ownedBy(o, cluster)) continue;
            try {
                client.resource(o).delete();
            } catch (KubernetesClientException e) {
                errors.add("pruning " + o.getKind() + " " + o.getMetadata().getName() + ": " + describe(e));
            }
        }
    }

    private static boolean ownedBy(HasMetadata o, MpcCluster cluster) {
        return o.getMetadata().getOwnerReferences() != null && o.getMetadata().getOwnerReferences().stream()
                .anyMatch(r -> Boolean.TRUE.equals(r.getController()) && cluster.getMetadata().getUid() != null && cluster.getMetadata().getUid().equals(r.getUid()));
    }

    private static boolean crdInstalled(KubernetesClient client, String name) {
        return client.apiextensions().v1().customResourceDefinitions().withName(name).get() != null;
    }

    /** cert-manager issues spec.tlsSecret when spec.certManager asks for it and cert-manager is installed. */
    private void certificate(KubernetesClient client, MpcCluster cluster, MpcClusterStatus status, long generation, List<String> errors) {
        if (cluster.getSpec().certManager == null) return;
        if (!crdInstalled(client, WorkloadTls.CERTIFICATE_CRD)) {
            errors.add("spec.certManager is set but the CRD " + WorkloadTls.CERTIFICATE_CRD + " is not installed; install cert-manager or provide tlsSecret yourself");
            return;
        }
        apply(client, WorkloadTls.certificate(cluster), errors);
    }

    /** Parties start only once their key-encryption keys exist: say so when they cannot, rather than leave pods waiting silently. */
    private void keys(KubernetesClient client, MpcCluster cluster, KeySet ks, MpcClusterStatus status, long generation) {
        String ref = cluster.getSpec().keySetRef;
        String problem = null;
        if (ref == null || ref.isBlank()) {
            problem = "spec.keySetRef is not set: the parties have no key-encryption keys and cannot start; create a KeySet and name it here";
        } else {
            if (ks == null) problem = "KeySet " + ref + " does not exist: the parties cannot start until it has created their keys";
            else if (ks.getStatus() == null || ks.getStatus().currentVersion == null) problem = "KeySet " + ref + " has not created the parties' keys yet";
        }
        if (problem != null && StatusConditions.changes(status.conditions, KEYS_READY, false, problem)) events.warning(client, cluster, "KeysMissing", problem);
        status.conditions = StatusConditions.set(status.conditions, KEYS_READY, problem == null, problem == null ? "KeySetReady" : "KeysMissing",
                problem == null ? "key-encryption keys from KeySet " + ref : problem, generation, clock.instant());
    }

    /** The ServiceMonitor exists only where the Prometheus Operator's CRD does; otherwise say so instead of failing. */
    private void monitoring(KubernetesClient client, MpcCluster cluster, MpcClusterStatus status, long generation) {
        if (!Boolean.TRUE.equals(cluster.getSpec().serviceMonitor)) {
            status.conditions = StatusConditions.remove(status.conditions, MONITORING);
            return;
        }
        boolean installed = crdInstalled(client, DesiredServiceMonitor.CRD);
        if (installed) {
            applier.apply(client, DesiredServiceMonitor.of(cluster));
            status.conditions = StatusConditions.set(status.conditions, MONITORING, true, "ServiceMonitorCreated",
                    "ServiceMonitor " + cluster.getMetadata().getName() + " scrapes /metrics of every component", generation, clock.instant());
        } else {
            String message = "spec.serviceMonitor is on but the CRD " + DesiredServiceMonitor.CRD + " is not installed; install the Prometheus Operator or turn it off";
            if (StatusConditions.changes(status.conditions, MONITORING, false, message)) events.warning(client, cluster, "ServiceMonitorUnavailable", message);
            status.conditions = StatusConditions.set(status.conditions, MONITORING, false, "ServiceMonitorCrdMissing", message, generation, clock.instant());
        }
    }

    /** Every object the cluster should have (the ServiceMonitor aside), built by the pure builders. */
    /** The generated credentials: created when absent, never overwritten (a new value would lock out whoever holds the old one). */
    private void ensureCredentials(KubernetesClient client, MpcCluster cluster) {
        // built only when missing: no key pair generated on every reconcile
        Map<String, java.util.function.Supplier<Secret>> wanted = new java.util.LinkedHashMap<>();
        wanted.put(ClusterSecrets.callerTokens(cluster), () -> ClusterSecrets.callerTokensSecret(cluster, random));
        wanted.put(ClusterSecrets.requestSigning(cluster), () -> ClusterSecrets.requestSigningSecret(cluster, random));
        if (ClusterSecrets.adminApiKey(cluster).equals(ClusterSecrets.generatedAdminApiKey(cluster))) {
            wanted.put(ClusterSecrets.generatedAdminApiKey(cluster), () -> ClusterSecrets.adminApiKeySecret(cluster, random));
        }
        String ns = cluster.getMetadata().getNamespace();
        for (Map.Entry<String, java.util.function.Supplier<Secret>> w : wanted.entrySet()) {
            if (client.secrets().inNamespace(ns).withName(w.getKey()).get() != null) continue;
            try {
                client.secrets().inNamespace(ns).resource(w.getValue().get()).create();
            } catch (KubernetesClientException e) {
                // created meanwhile: the existing one wins; the message names the Secret, never a value
                if (e.getCode() != 409) throw new KubernetesClientException("cannot create Secret " + w.getKey() + " (HTTP " + e.getCode() + ")", e.getCode(), null);
            }
        }
    }

    static List<HasMetadata> desired(MpcCluster cluster, Map<Integer, String> keyHashes) {
        return desired(cluster, keyHashes, DesiredNetworkPolicies.Peers.DEFAULT);
    }

    static List<HasMetadata> desired(MpcCluster cluster, Map<Integer, String> keyHashes, DesiredNetworkPolicies.Peers peers) {
        List<HasMetadata> out = new ArrayList<>();
        out.add(DesiredConfigMap.of(cluster));
        out.addAll(DesiredServiceAccounts.of(cluster));
        for (Component c : Component.values()) {
            out.add(DesiredDeployment.of(cluster, c));
            out.add(DesiredService.of(cluster, c));
        }
        out.addAll(DesiredParties.statefulSets(cluster, keyHashes));
        out.add(DesiredParties.headlessService(cluster));
        out.addAll(DesiredDisruptionBudgets.of(cluster));
        if (Boolean.TRUE.equals(cluster.getSpec().networkPolicy)) out.addAll(DesiredNetworkPolicies.of(cluster, peers));
        return out;
    }

    /** The party StatefulSets that exist, by party index. */
    private static Map<Integer, StatefulSet> existingParties(KubernetesClient client, MpcCluster cluster) {
        Map<Integer, StatefulSet> out = new java.util.TreeMap<>();
        for (StatefulSet s : client.apps().statefulSets().inNamespace(cluster.getMetadata().getNamespace())
                .withLabels(Labels.selector(cluster, DesiredParties.COMPONENT)).list().getItems()) {
            String index = s.getMetadata().getLabels() == null ? null : s.getMetadata().getLabels().get(DesiredParties.INDEX_LABEL);
            if (index != null && index.matches("[0-9]{1,3}")) out.put(Integer.parseInt(index), s);
        }
        return out;
    }

    /** Each Deployment's controller has seen its latest spec and every replica runs it. */
    private static boolean rolledOut(KubernetesClient client, MpcCluster cluster, Component... components) {
        for (Component component : components) {
            Deployment d = client.apps().deployments().inNamespace(cluster.getMetadata().getNamespace()).withName(component.name(cluster)).get();
            if (d == null || d.getStatus() == null) return false;
            var st = d.getStatus();
            long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            if (st.getObservedGeneration() != null && st.getObservedGeneration() < generation) return false;
            if (st.getUpdatedReplicas() != null && st.getUpdatedReplicas() < replicas) return false;
        }
        return true;
    }

    private static int ready(KubernetesClient client, MpcCluster cluster, Component component) {
        Deployment d = client.apps().deployments().inNamespace(cluster.getMetadata().getNamespace()).withName(component.name(cluster)).get();
        return d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
    }
}
