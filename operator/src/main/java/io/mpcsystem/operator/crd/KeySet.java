package io.mpcsystem.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The key-encryption keys of an MpcCluster's parties (one per party, never shared), where they
 * are kept, and how they rotate. The MpcCluster names it in {@code spec.keySetRef}.
 */
@Group("mpc.mpcsystem.io")
@Version("v1alpha1")
@Plural("keysets")
@ShortNames("mpcks")
@AdditionalPrinterColumn(name = "Version", jsonPath = ".status.currentVersion", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Rotation", jsonPath = ".status.rotation.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last Rotation", jsonPath = ".status.lastRotationTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Refresh", jsonPath = ".status.refresh.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Backend", jsonPath = ".status.backend", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class KeySet extends CustomResource<KeySetSpec, KeySetStatus> implements Namespaced {
    private static final long serialVersionUID = 1L;
    /** {@code kubectl annotate keyset NAME mpc.mpcsystem.io/rollback=<any new value>} rolls back a failed or running rotation. */
    public static final String ROLLBACK_ANNOTATION = "mpc.mpcsystem.io/rollback";
    /** {@code kubectl annotate keyset NAME mpc.mpcsystem.io/rotate=<any new value>} starts (or retries) a rotation now. */
    public static final String ROTATE_ANNOTATION = "mpc.mpcsystem.io/rotate";
    /** {@code kubectl annotate keyset NAME mpc.mpcsystem.io/refresh-shares=<any new value>} refreshes every key's shares now (or resumes a failed refresh). */
    public static final String REFRESH_ANNOTATION = "mpc.mpcsystem.io/refresh-shares";
}
