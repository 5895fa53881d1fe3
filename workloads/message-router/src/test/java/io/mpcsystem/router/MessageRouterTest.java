package io.mpcsystem.router;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.mpcsystem.proto.router.v1.Envelope;
import io.mpcsystem.proto.router.v1.MessageRouterGrpc;
import io.mpcsystem.proto.router.v1.PublishRequest;
import io.mpcsystem.proto.router.v1.SubscribeRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(EmbeddedRedisResource.class)
class MessageRouterTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metricsUrl;

    private static ManagedChannel channel;
    private static MessageRouterGrpc.MessageRouterBlockingStub blocking;
    private static MessageRouterGrpc.MessageRouterStub async;

    @Inject
    SessionStream stream;
    @Inject
    io.quarkus.redis.datasource.RedisDataSource redis;

    /** The parties' identity keys, published as the coordinator does on registration. */
    private static final java.util.Map<String, org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters> KEYS = new java.util.HashMap<>();

    static {
        for (String p : List.of("p1", "p2", "p3", "p4", "intruder")) KEYS.put(p, new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(new java.security.SecureRandom()));
    }

    @org.junit.jupiter.api.BeforeEach
    void publishIdentities() {
        for (String p : List.of("p1", "p2", "p3")) {
            redis.value(String.class).set("mpc:identity:" + p, java.util.HexFormat.of().formatHex(KEYS.get(p).generatePublicKey().getEncoded()));
        }
    }

    private static Envelope signedBy(String signer, Envelope e) {
        byte[] bytes = io.mpcsystem.proto.SignedBytes.envelope(e);
        org.bouncycastle.crypto.signers.Ed25519Signer s = new org.bouncycastle.crypto.signers.Ed25519Signer();
        s.init(true, KEYS.get(signer));
        s.update(bytes, 0, bytes.length);
        return e.toBuilder().setSignature(ByteString.copyFrom(s.generateSignature())).build();
    }

    @BeforeAll
    static void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", 19052).usePlaintext().build();
        blocking = MessageRouterGrpc.newBlockingStub(channel);
        async = MessageRouterGrpc.newStub(channel);
    }

    @AfterAll
    static void disconnect() {
        channel.shutdownNow();
    }

    private static Envelope envelope(String session, int round, String from, String to, String payload) {
        return signedBy(from, Envelope.newBuilder().setSessionId(session).setRound(round).setFromParty(from).setToParty(to)
                .setPayload(ByteString.copyFromUtf8(payload)).build());
    }

    private static String publish(Envelope e) {
        return blocking.publish(PublishRequest.newBuilder().setEnvelope(e).build()).getStreamId();
    }

    /** Subscribes in the background; the returned list fills as envelopes arrive. */
    private static List<Envelope> subscribe(String session, String party, String after, List<Context.CancellableContext> cancel) {
        List<Envelope> got = new CopyOnWriteArrayList<>();
        Context.CancellableContext ctx = Context.current().withCancellation();
        cancel.add(ctx);
        ctx.run(() -> async.subscribe(SubscribeRequest.newBuilder().setSessionId(session).setPartyId(party).setAfterStreamId(after).build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(Envelope e) {
                        got.add(e);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                }));
        return got;
    }

    private static List<String> payloads(List<Envelope> es) {
        return es.stream().map(e -> e.getPayload().toStringUtf8()).toList();
    }

    @Test
    void deliversBroadcastsAndDirectMessagesInOrderToTheRightParties() {
        String s = "s-" + UUID.randomUUID();
        List<Context.CancellableContext> subs = new CopyOnWriteArrayList<>();
        List<Envelope> p1 = subscribe(s, "p1", "", subs);
        List<Envelope> p2 = subscribe(s, "p2", "", subs);
        List<Envelope> p3 = subscribe(s, "p3", "", subs);
        publish(envelope(s, 1, "p1", "", "b1"));
        publish(envelope(s, 1, "p2", "", "b2"));
        publish(envelope(s, 1, "p1", "p2", "d12"));
        publish(envelope(s, 2, "p3", "p1", "d31"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(payloads(p1)).containsExactly("b2", "d31");
            assertThat(payloads(p2)).containsExactly("b1", "d12");
            assertThat(payloads(p3)).containsExactly("b1", "b2");
        });
        assertThat(p1).allSatisfy(e -> assertThat(e.getStreamId()).matches("\\d+-\\d+"));
        subs.forEach(c -> c.cancel(null));
    }

    @Test
    void lateSubscribersGetEverythingAndResumeAfterTheirLastId() {
        String s = "s-" + UUID.randomUUID();
        publish(envelope(s, 1, "p1", "", "first"));
        String second = publish(envelope(s, 1, "p2", "", "second"));
        publish(envelope(s, 2, "p1", "p3", "third"));
        List<Context.CancellableContext> subs = new CopyOnWriteArrayList<>();
        List<Envelope> late = subscribe(s, "p3", "", subs);
        List<Envelope> resumed = subscribe(s, "p3", second, subs);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(payloads(late)).containsExactly("first", "second", "third");
            assertThat(payloads(resumed)).containsExactly("third");
        });
        subs.forEach(c -> c.cancel(null));
    }

    @Test
    void anotherReplicaReadsWhatOneWrote() {
        // the router keeps no state of its own: a second reader over the same Redis sees the stream
        String s = "s-" + UUID.randomUUID();
        String id = publish(envelope(s, 1, "p1", "", "shared"));
        SessionStream.Batch batch = stream.read(s, "p2", "0", Duration.ofMillis(100));
        assertThat(payloads(batch.envelopes())).containsExactly("shared");
        assertThat(batch.lastId()).isEqualTo(id);
    }

    @Test
    void onlyWhatItsSenderSignedIsStored() {
        String s = "s-" + UUID.randomUUID();
        Envelope genuine = envelope(s, 1, "p1", "", "mine");
        Envelope forged = signedBy("p2", genuine.toBuilder().clearSignature().build());
        Envelope altered = genuine.toBuilder().setPayload(ByteString.copyFromUtf8("not mine")).build();
        for (Envelope bad : List.of(forged, altered)) {
            assertThatThrownBy(() -> publish(bad))
                    .satisfies(ex -> assertThat(((StatusRuntimeException) ex).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        }
        // a provisioned sender with no published identity yet: retryable, not stored
        Envelope early = envelope(s, 1, "p4", "", "too early");
        assertThatThrownBy(() -> publish(early))
                .satisfies(ex -> assertThat(((StatusRuntimeException) ex).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
        publish(genuine);
        assertThat(payloads(stream.read(s, "p2", "0", Duration.ofMillis(50)).envelopes())).containsExactly("mine");
    }

    @Test
    void aSenderGetsItsShareOfASessionAndStrangersNone() {
        String s = "s-" + UUID.randomUUID();
        for (int i = 0; i < 50; i++) publish(envelope(s, 1, "p1", "", "m" + i));
        assertThatThrownBy(() -> publish(envelope(s, 1, "p1", "", "one too many")))
                .satisfies(ex -> assertThat(((StatusRuntimeException) ex).getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        // the flood neither displaced nor blocked the others
        publish(envelope(s, 1, "p2", "", "still heard"));
        List<Envelope> got = stream.read(s, "p3", "0", Duration.ofMillis(50)).envelopes();
        assertThat(got).hasSize(51);
        assertThat(payloads(got)).contains("m0", "still heard").doesNotContain("one too many");
        assertThatThrownBy(() -> publish(envelope(s, 1, "intruder", "", "x")))
                .satisfies(ex -> assertThat(((StatusRuntimeException) ex).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    void invalidEnvelopesAreRefusedAndNotStored() {
        String s = "s-" + UUID.randomUUID();
        Envelope ok = envelope(s, 1, "p1", "", "x");
        List<UnaryOperator<Envelope>> breakages = List.of(
                e -> e.toBuilder().setSessionId("").build(),
                e -> e.toBuilder().setSessionId("bad session!").build(),
                e -> e.toBuilder().setRound(0).build(),
                e -> e.toBuilder().setFromParty("").build(),
                e -> e.toBuilder().setToParty("p1").build(),
                e -> e.toBuilder().setPayload(ByteString.EMPTY).build(),
                e -> e.toBuilder().setPayload(ByteString.copyFrom(new byte[EnvelopeValidator.MAX_PAYLOAD + 1])).build(),
                e -> e.toBuilder().setSignature(ByteString.copyFrom(new byte[10])).build());
        for (UnaryOperator<Envelope> b : breakages) {
            assertThatThrownBy(() -> publish(b.apply(ok))).isInstanceOf(StatusRuntimeException.class)
                    .satisfies(ex -> assertThat(((StatusRuntimeException) ex).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        }
        assertThatThrownBy(() -> blocking.publish(PublishRequest.getDefaultInstance())).isInstanceOf(StatusRuntimeException.class);
        assertThat(stream.read(s, "p2", "0", Duration.ofMillis(50)).envelopes()).isEmpty();
    }

    @Test
    void healthAndMetrics() {
        publish(envelope("s-" + UUID.randomUUID(), 1, "p1", "", "m"));
        given().get("/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get(metricsUrl).then().statusCode(200).body(containsString("mpc_router_envelopes_published_total"));
    }
}
