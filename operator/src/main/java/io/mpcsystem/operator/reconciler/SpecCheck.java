package io.mpcsystem.operator.reconciler;

import io.mpcsystem.operator.crd.MpcClusterSpec;
import java.util.ArrayList;
import java.util.List;

/** The CRD schema's checks again, for objects that bypassed it (old API servers, hand-edited status, tests). */
public final class SpecCheck {
    private SpecCheck() {
    }

    public static List<String> problems(MpcClusterSpec spec) {
        List<String> out = new ArrayList<>();
        if (spec == null) return List.of("spec is missing");
        if (spec.image == null || spec.image.tag == null || spec.image.tag.isBlank()) out.add("spec.image.tag is required");
        if (spec.parties == null || spec.parties.count == null || spec.parties.threshold == null) {
            out.add("spec.parties.count and spec.parties.threshold are required");
        } else {
            if (spec.parties.count < 2 || spec.parties.count > 255) out.add("spec.parties.count must be between 2 and 255, is " + spec.parties.count);
            if (spec.parties.threshold < 1 || spec.parties.threshold > spec.parties.count) {
                out.add("spec.parties.threshold must be between 1 and parties.count (" + spec.parties.count + "), is " + spec.parties.threshold);
            }
        }
        if (spec.database == null || spec.database.host == null || spec.database.credentialsSecret == null) {
            out.add("spec.database.host and spec.database.credentialsSecret are required");
        }
        if (spec.redis == null || spec.redis.host == null) out.add("spec.redis.host is required");
        if (Boolean.TRUE.equals(spec.tls) && (spec.tlsSecret == null || spec.tlsSecret.isBlank())) {
            out.add("spec.tls needs spec.tlsSecret: a kubernetes.io/tls Secret with tls.crt, tls.key and ca.crt");
        }
        if (spec.certManager != null && !Boolean.TRUE.equals(spec.tls)) out.add("spec.certManager needs spec.tls");
        if (spec.certManager != null && (spec.certManager.issuer == null || spec.certManager.issuer.isBlank())) out.add("spec.certManager.issuer is required");
        return out;
    }
}
