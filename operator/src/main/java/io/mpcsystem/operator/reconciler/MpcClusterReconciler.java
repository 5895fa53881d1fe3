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
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.mpcsystem.operator.desired.ClusterSecrets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    @Override
    public List<EventSource<?, MpcCluster>> prepareEventSources(EventSourceContext<MpcCluster> context) {
        // owned objects: a change or a deletion by hand brings the owner back to reconcile
        return List.of(
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class, MpcCluster.class).build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(StatefulSet.class, MpcCluster.class).build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Service.class, MpcCluster.class).build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(ConfigMap.class, MpcCluster.class).build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(PodDisruptionBudget.class, MpcCluster.class).build(), context),
                // a KeySet's rotation releasing a party changes its status: the clusters naming it apply the new pod-template hash
                new InformerEventSource<>(InformerEventSourceConfiguration.from(KeySet.class, MpcCluster.class)
                        .withSecondaryToPrimaryMapper(ks -> context.getPrimaryCache().list(ks.getMetadata().getNamespace())
                                .filter(c -> c.getSpec() != null && ks.getMetadata().getName().equals(c.getSpec().keySetRef))
                                .map(ResourceID::fromResource).collect(Collectors.toSet()))
                        .build(), context));
    }

    @Override
    public UpdateControl<MpcCluster> reconcile(MpcCluster cluster, Context<MpcCluster> context) {
        KubernetesClient client = context.getClient();
        MpcClusterStatus status = cluster.getStatus() == null ? new MpcClusterStatus() : cluster.getStatus();
        cluster.setStatus(status);
        long generation = cluster.getMetadata().getGeneration() == null ? 0 : cluster.getMetadata().getGeneration();
        status.observedGeneration = generation;
        String previousPhase = status.phase;

        List<String> problems = SpecCheck.problems(cluster.getSpec());
        List<StatefulSet> parties = existingParties(client, cluster);
        boolean countRefused = false;
        if (problems.isEmpty()) {
            int running = parties.size();
            if (running > 0 && running != cluster.getSpec().parties.count) {
                countRefused = true;
                problems = List.of("spec.parties.count cannot change from " + running + " to " + cluster.getSpec().parties.count
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

        // read once: it gives the parties' pod-template hashes (the KeySet's rotation moves them) and the KeysReady condition
        KeySet keySet = cluster.getSpec().keySetRef == null ? null
                : client.resources(KeySet.class).inNamespace(cluster.getMetadata().getNamespace()).withName(cluster.getSpec().keySetRef).get();
        Map<Integer, String> keyHashes = keySet == null || keySet.getStatus() == null ? Map.of() : keySet.getStatus().podKeyHashes();
        ensureCredentials(client, cluster);
        for (HasMetadata o : desired(cluster, keyHashes, peers)) applier.apply(client, o);
        monitoring(client, cluster, status, generation);
        keys(client, cluster, keySet, status, generation);

        int coordinator = ready(client, cluster, Component.COORDINATOR);
        int router = ready(client, cluster, Component.ROUTER);
        int account = ready(client, cluster, Component.ACCOUNT_SERVICE);
        // the StatefulSets read before applying: applying changes no readiness
        long partiesReady = parties.stream()
                .filter(s -> s.getStatus() != null && s.getStatus().getReadyReplicas() != null && s.getStatus().getReadyReplicas() >= 1).count();
        status.coordinatorReady = coordinator;
        status.routerReady = router;
        status.accountServiceReady = account;
        status.partiesReady = partiesReady + "/" + cluster.getSpec().parties.count;
        boolean ready = coordinator >= 1 && router >= 1 && account >= 1 && partiesReady >= cluster.getSpec().parties.threshold;
        boolean wasUp = "Ready".equals(previousPhase) || "Degraded".equals(previousPhase);
        status.phase = ready ? "Ready" : wasUp ? "Degraded" : "Progressing";
        String message = "coordinator " + coordinator + ", router " + router + ", account service " + account + ", parties " + status.partiesReady
                + " (threshold " + cluster.getSpec().parties.threshold + ")";
        if (ready && !"Ready".equals(previousPhase)) events.normal(client, cluster, "Ready", "the cluster can sign: " + message);
        if (!ready && "Ready".equals(previousPhase)) events.warning(client, cluster, "Degraded", "the cluster lost components it needs: " + message);
        status.conditions = StatusConditions.set(status.conditions, READY, ready, ready ? "AllComponentsReady" : wasUp ? "ComponentsLost" : "WaitingForComponents",
                message, generation, clock.instant());
        return UpdateControl.patchStatus(cluster);
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
        boolean installed = client.apiextensions().v1().customResourceDefinitions().withName(DesiredServiceMonitor.CRD).get() != null;
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
        List<Secret> wanted = new ArrayList<>();
        wanted.add(ClusterSecrets.callerTokensSecret(cluster, random));
        wanted.add(ClusterSecrets.requestSigningSecret(cluster, random));
        Secret admin = ClusterSecrets.adminApiKeySecret(cluster, random);
        if (admin != null) wanted.add(admin);
        for (Secret s : wanted) {
            if (client.secrets().inNamespace(cluster.getMetadata().getNamespace()).withName(s.getMetadata().getName()).get() != null) continue;
            try {
                client.secrets().inNamespace(cluster.getMetadata().getNamespace()).resource(s).create();
            } catch (KubernetesClientException e) {
                // created meanwhile: the existing one wins; the message names the Secret, never a value
                if (e.getCode() != 409) throw new KubernetesClientException("cannot create Secret " + s.getMetadata().getName() + " (HTTP " + e.getCode() + ")", e.getCode(), null);
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

    private static List<StatefulSet> existingParties(KubernetesClient client, MpcCluster cluster) {
        return client.apps().statefulSets().inNamespace(cluster.getMetadata().getNamespace())
                .withLabels(Labels.selector(cluster, DesiredParties.COMPONENT)).list().getItems();
    }

    private static int ready(KubernetesClient client, MpcCluster cluster, Component component) {
        Deployment d = client.apps().deployments().inNamespace(cluster.getMetadata().getNamespace()).withName(component.name(cluster)).get();
        return d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
    }
}
