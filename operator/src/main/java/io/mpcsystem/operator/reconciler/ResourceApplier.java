package io.mpcsystem.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;

/**
 * How desired objects reach the cluster. Production uses server-side apply (the operator owns
 * exactly the fields it sets); tests against fabric8's mock server, which does not speak
 * server-side apply, create or update instead (see toolchain.md).
 */
public interface ResourceApplier {
    <T extends HasMetadata> void apply(KubernetesClient client, T resource);

    static ResourceApplier serverSide() {
        return new ResourceApplier() {
            @Override
            public <T extends HasMetadata> void apply(KubernetesClient client, T resource) {
                client.resource(resource).patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                        .withFieldManager("mpc-operator").withForce(true).build());
            }
        };
    }

    static ResourceApplier createOrUpdate() {
        return new ResourceApplier() {
            @Override
            public <T extends HasMetadata> void apply(KubernetesClient client, T resource) {
                HasMetadata existing = client.resource(resource).get();
                // a real API server ignores status in an update; the mock server stores whatever it is
                // given, so carry the observed status over instead of wiping it
                if (resource instanceof io.fabric8.kubernetes.api.model.apps.Deployment d
                        && existing instanceof io.fabric8.kubernetes.api.model.apps.Deployment e) {
                    d.setStatus(e.getStatus());
                }
                if (resource instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet d
                        && existing instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet e) {
                    d.setStatus(e.getStatus());
                }
                client.resource(resource).createOr(NonDeletingOperation::update);
            }
        };
    }
}
