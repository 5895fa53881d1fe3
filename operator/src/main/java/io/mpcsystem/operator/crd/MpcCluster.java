package io.mpcsystem.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One mpc-system deployment: coordinator, router, account service and n server parties. */
@Group("mpc.mpcsystem.io")
@Version("v1alpha1")
@Plural("mpcclusters")
@ShortNames("mpcc")
@AdditionalPrinterColumn(name = "Threshold", jsonPath = ".spec.parties.threshold", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class MpcCluster extends CustomResource<MpcClusterSpec, MpcClusterStatus> implements Namespaced {
    private static final long serialVersionUID = 1L;
}
