package io.mpcsystem.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.crd.MpcClusterStatus;
import io.mpcsystem.operator.desired.Component;
import io.mpcsystem.operator.desired.DesiredDeployment;
import io.mpcsystem.operator.desired.DesiredNetworkPolicies;
import io.mpcsystem.operator.desired.DesiredParties;
import io.mpcsystem.operator.desired.DesiredService;
import io.mpcsystem.operator.desired.Labels;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an MpcCluster into its Deployments, StatefulSets, Services and NetworkPolicies, and
 * reports what it sees. An invalid spec builds nothing; a change of the party count is refused,
 * because parties removed or added would orphan key shares or hold none.
 */
@ControllerConfiguration
public class MpcClusterReconciler implements Reconciler<MpcCluster> {
    static final String READY = "Ready";
    static final String SPEC_VALID = "SpecValid";

    private final ResourceApplier applier;
    private final Clock clock;

    public MpcClusterReconciler(ResourceApplier applier, Clock clock) {
        this.applier = applier;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, MpcCluster>> prepareEventSources(EventSourceContext<MpcCluster> context) {
        // owned objects: a change or a deletion by hand brings the owner back to reconcile
        return List.of(
                new InformerEventSource<>(InformerEventSourceConfiguration.from(Deployment.class, MpcCluster.class).build(), context),
                new InformerEventSource<>(InformerEventSourceConfiguration.from(StatefulSet.class, MpcCluster.class).build(), context));
    }

    @Override
    public UpdateControl<MpcCluster> reconcile(MpcCluster cluster, Context<MpcCluster> context) {
        KubernetesClient client = context.getClient();
        MpcClusterStatus status = cluster.getStatus() == null ? new MpcClusterStatus() : cluster.getStatus();
        cluster.setStatus(status);
        long generation = cluster.getMetadata().getGeneration() == null ? 0 : cluster.getMetadata().getGeneration();
        status.observedGeneration = generation;

        List<String> problems = SpecCheck.problems(cluster.getSpec());
        if (problems.isEmpty()) {
            int running = existingParties(client, cluster).size();
            if (running > 0 && running != cluster.getSpec().parties.count) {
                problems = List.of("spec.parties.count cannot change from " + running + " to " + cluster.getSpec().parties.count
                        + ": removing a party orphans its key shares and an added party holds none; create a new cluster and move keys by resharing");
            }
        }
        if (!problems.isEmpty()) {
            status.phase = running(client, cluster) ? "Degraded" : "Pending";
            status.conditions = StatusConditions.set(status.conditions, SPEC_VALID, false, "InvalidSpec", String.join("; ", problems), generation, clock.instant());
            return UpdateControl.patchStatus(cluster);
        }
        status.conditions = StatusConditions.set(status.conditions, SPEC_VALID, true, "Valid", "spec accepted", generation, clock.instant());

        for (HasMetadata o : desired(cluster)) applier.apply(client, o);

        int coordinator = ready(client, cluster, Component.COORDINATOR);
        int router = ready(client, cluster, Component.ROUTER);
        int account = ready(client, cluster, Component.ACCOUNT_SERVICE);
        long partiesReady = existingParties(client, cluster).stream()
                .filter(s -> s.getStatus() != null && s.getStatus().getReadyReplicas() != null && s.getStatus().getReadyReplicas() >= 1).count();
        status.coordinatorReady = coordinator;
        status.routerReady = router;
        status.accountServiceReady = account;
        status.partiesReady = partiesReady + "/" + cluster.getSpec().parties.count;
        boolean ready = coordinator >= 1 && router >= 1 && account >= 1 && partiesReady >= cluster.getSpec().parties.threshold;
        status.phase = ready ? "Ready" : "Progressing";
        status.conditions = StatusConditions.set(status.conditions, READY, ready, ready ? "AllComponentsReady" : "WaitingForComponents",
                "coordinator " + coordinator + ", router " + router + ", account service " + account + ", parties " + status.partiesReady, generation, clock.instant());
        return UpdateControl.patchStatus(cluster);
    }

    /** Every object the cluster should have, built by the pure builders. */
    static List<HasMetadata> desired(MpcCluster cluster) {
        List<HasMetadata> out = new ArrayList<>();
        for (Component c : Component.values()) {
            out.add(DesiredDeployment.of(cluster, c));
            out.add(DesiredService.of(cluster, c));
        }
        out.addAll(DesiredParties.statefulSets(cluster, Map.of()));
        out.add(DesiredParties.headlessService(cluster));
        if (Boolean.TRUE.equals(cluster.getSpec().networkPolicy)) out.addAll(DesiredNetworkPolicies.of(cluster));
        return out;
    }

    private static List<StatefulSet> existingParties(KubernetesClient client, MpcCluster cluster) {
        return client.apps().statefulSets().inNamespace(cluster.getMetadata().getNamespace())
                .withLabels(Labels.selector(cluster, DesiredParties.COMPONENT)).list().getItems();
    }

    private static boolean running(KubernetesClient client, MpcCluster cluster) {
        return !existingParties(client, cluster).isEmpty();
    }

    private static int ready(KubernetesClient client, MpcCluster cluster, Component component) {
        Deployment d = client.apps().deployments().inNamespace(cluster.getMetadata().getNamespace()).withName(component.name(cluster)).get();
        return d == null || d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();
    }
}
