package io.mpcsystem.operator.crd;

import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator observed; built in one place by the reconciler. */
public class MpcClusterStatus {
    /** Pending, Progressing, Ready or Degraded. */
    @PrinterColumn(name = "Phase")
    public String phase;

    public Long observedGeneration;

    public List<Condition> conditions = new ArrayList<>();

    @PrinterColumn(name = "Parties Ready")
    public String partiesReady;

    /** The party count the parties were built with: a different spec.parties.count is refused, a missing party is recreated. */
    public Integer partyCount;

    /** The party whose new pod template is rolling out (one at a time); 0 when none is. */
    public Integer rollingParty;

    public Integer coordinatorReady;
    public Integer routerReady;
    public Integer accountServiceReady;
}
