package io.mpcsystem.operator.desired;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.mpcsystem.operator.crd.MpcCluster;

/** The ClusterIP Service in front of a stateless component: gRPC 50051 and HTTP 8080 as in the seed guide, and metrics 9090. */
public final class DesiredService {
    private DesiredService() {
    }

    public static Service of(MpcCluster c, Component component) {
        return new ServiceBuilder()
                .withMetadata(Ownership.meta(c, component.name(c), Labels.all(c, component.label())))
                .withNewSpec().withSelector(component.selector(c))
                .withPorts(new ServicePortBuilder().withName("grpc").withPort(DesiredDeployment.GRPC_PORT).withTargetPort(new IntOrString("grpc")).build(),
                        new ServicePortBuilder().withName("http").withPort(DesiredDeployment.HTTP_PORT).withTargetPort(new IntOrString("http")).build(),
                        new ServicePortBuilder().withName("metrics").withPort(DesiredDeployment.METRICS_PORT).withTargetPort(new IntOrString("metrics")).build())
                .endSpec().build();
    }
}
