package io.mpcsystem.account;

import static io.mpcsystem.account.TestApi.createAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.mpcsystem.proto.CallerToken;
import io.mpcsystem.proto.coordinator.v1.CreateSessionRequest;
import io.mpcsystem.proto.coordinator.v1.GetSessionRequest;
import io.mpcsystem.proto.coordinator.v1.SessionCoordinatorGrpc;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.grpc.Status;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** The service presents MPC_COORDINATOR_TOKEN on every coordinator call; the coordinator (here its double) refuses calls without it. */
@QuarkusTest
@WithTestResource(MpcTestResources.class)
class CallerTokenTest {
    @InjectTestCoordinator
    TestCoordinator coordinator;

    private static String address() {
        return ConfigProvider.getConfig().getValue("mpc.coordinator.address", String.class);
    }

    @Test
    void everyCallOfTheServiceCarriesTheToken() {
        int refusedBefore = coordinator.unauthenticated.get();
        String id = (String) createAccount("ed25519").get("id");
        TestApi.sign(id, java.util.Map.of("message", "0102")).statusCode(200);
        assertThat(coordinator.unauthenticated.get()).isEqualTo(refusedBefore);
    }

    @Test
    void theCoordinatorRefusesCallsWithoutTheRightToken() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forTarget(address()).usePlaintext().build();
        try {
            var bare = SessionCoordinatorGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> bare.getSession(GetSessionRequest.newBuilder().setSessionId("x").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            var wrong = bare.withInterceptors(new CallerToken(MpcTestResources.COORDINATOR_TOKEN + "x"));
            assertThatThrownBy(() -> wrong.createSession(CreateSessionRequest.newBuilder().setKind(SessionKind.KEYGEN).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
            // the right token gets through to the service (which knows no such session)
            var right = bare.withInterceptors(new CallerToken(MpcTestResources.COORDINATOR_TOKEN));
            assertThatThrownBy(() -> right.getSession(GetSessionRequest.newBuilder().setSessionId("x").build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRefusedTokenIsA502ThatShowsNoToken() {
        String wrongToken = "wrong-token-" + java.util.UUID.randomUUID();
        CoordinatorClient client = new CoordinatorClient(CoordinatorClientTest.config(address(), Optional.of(wrongToken)));
        try {
            assertThatThrownBy(() -> client.get("some-session", java.time.Duration.ofSeconds(2)))
                    .isInstanceOfSatisfying(ApiProblem.class, p -> {
                        assertThat(p.status()).isEqualTo(502);
                        assertThat(p.getMessage()).contains("refused").doesNotContain(wrongToken);
                        assertThat(p.toProblem().toString()).doesNotContain(wrongToken);
                        assertThat(p.correlationId()).isNotBlank();
                    });
        } finally {
            client.close();
        }
    }
}
