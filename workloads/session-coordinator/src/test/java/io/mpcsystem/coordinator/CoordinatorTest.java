package io.mpcsystem.coordinator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.mpcsystem.proto.coordinator.v1.CreateSessionRequest;
import io.mpcsystem.proto.coordinator.v1.Failure;
import io.mpcsystem.proto.coordinator.v1.AwaitSessionRequest;
import io.mpcsystem.proto.coordinator.v1.GetSessionRequest;
import io.mpcsystem.proto.coordinator.v1.JoinSessionRequest;
import io.mpcsystem.proto.coordinator.v1.RegisterPartyRequest;
import io.mpcsystem.proto.coordinator.v1.ReportOutcomeRequest;
import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionCoordinatorGrpc;
import io.mpcsystem.proto.coordinator.v1.SessionInvitation;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.proto.coordinator.v1.SessionStatus;
import io.mpcsystem.proto.coordinator.v1.Success;
import io.mpcsystem.proto.coordinator.v1.WatchSessionsRequest;
import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.dkls23.Dkls23KeyShare;
import io.mpcsystem.tss.dkls23.Dkls23Scheme;
import io.mpcsystem.tss.protocol.LocalNetwork;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The coordinator against real PostgreSQL and Redis, driven like the parties and the account
 * service drive it. Key material comes from real DKLs23 runs in this JVM, so the coordinator's
 * own verification of results is exercised for real.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedStores.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CoordinatorTest {
    private static final SecureRandom RND = new SecureRandom();
    private static ManagedChannel channel;
    private static SessionCoordinatorGrpc.SessionCoordinatorBlockingStub grpc;
    private static SessionCoordinatorGrpc.SessionCoordinatorStub async;
    private static final List<TestParty> PARTIES = new ArrayList<>();
    private static Map<Integer, Dkls23KeyShare> shares;
    private static String keyId;

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metricsUrl;
    @Inject
    SessionService service;
    @Inject
    SessionEndings endings;

    @BeforeAll
    static void connect() throws Exception {
        channel = ManagedChannelBuilder.forAddress("localhost", 19051).usePlaintext().build();
        grpc = TestCallers.accountStub(channel);
        async = TestCallers.accountAsyncStub(channel);
        for (int i = 1; i <= 3; i++) PARTIES.add(new TestParty("server-party-" + i));
        SessionId sid = SessionId.random(RND);
        List<ProtocolParty<Dkls23KeyShare>> ps = new ArrayList<>();
        for (int i = 1; i <= 3; i++) ps.add(Dkls23Scheme.INSTANCE.keygen(sid, i, 2, 3, RND));
        shares = LocalNetwork.run(ps);
    }

    @AfterAll
    static void disconnect() {
        channel.shutdownNow();
    }

    private static List<Session> watch(TestParty party) {
        List<Session> got = new CopyOnWriteArrayList<>();
        Context.current().withCancellation().run(() -> async.watchSessions(party.watch(),
                new StreamObserver<SessionInvitation>() {
                    @Override
                    public void onNext(SessionInvitation v) {
                        got.add(v.getSession());
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

    private static ReportOutcomeRequest success(TestParty p, String session, byte[] pk, byte[] sig, Integer recovery) throws Exception {
        Success.Builder s = Success.newBuilder().setPublicKey(ByteString.copyFrom(pk));
        if (sig != null) s.setSignature(ByteString.copyFrom(sig));
        if (recovery != null) s.setRecoveryId(recovery);
        return p.sign(ReportOutcomeRequest.newBuilder().setSessionId(session).setPartyId(p.id).setSuccess(s).build());
    }

    private static Session get(String id) {
        return grpc.getSession(GetSessionRequest.newBuilder().setSessionId(id).build());
    }

    @Test
    @Order(1)
    void keygenThroughRestInvitationsJoinAndReports() throws Exception {
        for (TestParty p : PARTIES) grpc.registerParty(p.registration());
        List<List<Session>> inboxes = new ArrayList<>();
        for (TestParty p : PARTIES) inboxes.add(watch(p));

        String id = TestCallers.asAccount().contentType("application/json").body("{\"kind\":\"keygen\",\"protocol\":\"dkls23\",\"threshold\":2,\"parties\":3}")
                .post("/api/v1/sessions").then().statusCode(201).body("status", equalTo("PENDING")).extract().path("id");
        for (List<Session> inbox : inboxes) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> inbox.stream().anyMatch(s -> s.getSessionId().equals(id)));
        }
        Session invited = inboxes.get(0).stream().filter(s -> s.getSessionId().equals(id)).findFirst().orElseThrow();
        assertThat(invited.getRosterList()).extracting(r -> r.getIdentity().getPartyId()).containsExactly("server-party-1", "server-party-2", "server-party-3");
        assertThat(invited.getRosterList()).extracting(r -> r.getIndex()).containsExactly(1, 2, 3);
        keyId = invited.getKeyId();

        for (TestParty p : PARTIES) grpc.joinSession(p.join(id));
        assertThat(get(id).getStatus()).isEqualTo(SessionStatus.RUNNING);
        byte[] pk = shares.get(1).publicKey();
        for (int i = 0; i < 3; i++) {
            grpc.reportOutcome(success(PARTIES.get(i), id, pk, null, null));
            assertThat(get(id).getStatus()).isEqualTo(i < 2 ? SessionStatus.RUNNING : SessionStatus.COMPLETED);
        }
        assertThat(get(id).getPublicKey().toByteArray()).isEqualTo(pk);
        TestCallers.asAccount().get("/api/v1/sessions/" + id).then().statusCode(200).body("publicKey", equalTo(HexFormat.of().formatHex(pk)));
    }

    @Test
    @Order(2)
    void oneRefreshOfAKeyAtATime() {
        String first = TestCallers.asOperator().contentType("application/json").body("{\"kind\":\"refresh\",\"keyId\":\"" + keyId + "\"}")
                .post("/api/v1/sessions").then().statusCode(201).extract().path("id");
        TestCallers.asOperator().contentType("application/json").body("{\"kind\":\"refresh\",\"keyId\":\"" + keyId + "\"}")
                .post("/api/v1/sessions").then().statusCode(409).contentType(containsString("problem+json"))
                .body("detail", containsString("is being refreshed by session " + first));
        // signing is not blocked by a refresh in progress
        TestCallers.asAccount().contentType("application/json").body("{\"kind\":\"sign\",\"keyId\":\"" + keyId + "\",\"message\":\"" + "ab".repeat(32) + "\"}")
                .post("/api/v1/sessions").then().statusCode(201);
        // once the first refresh has ended, the next one is accepted
        service.expire(java.time.Instant.now().plus(java.time.Duration.ofDays(1)));
        assertThat(service.get(first).status()).isEqualTo(SessionStatus.FAILED);
        TestCallers.asOperator().contentType("application/json").body("{\"kind\":\"refresh\",\"keyId\":\"" + keyId + "\"}")
                .post("/api/v1/sessions").then().statusCode(201);
    }

    @Test
    @Order(2)
    void keysAreListedInPagesForTheOperatorsShareRefresh() {
        List<String> all = TestCallers.asOperator().get("/api/v1/keys?limit=500").then().statusCode(200).extract().path("keyIds");
        assertThat(all).contains(keyId).isSorted();
        String firstPage = TestCallers.asOperator().get("/api/v1/keys?limit=1").then().statusCode(200).extract().path("keyIds[0]");
        assertThat(firstPage).isEqualTo(all.get(0));
        if (all.size() == 1) {
            TestCallers.asOperator().get("/api/v1/keys?limit=1").then().body("next", equalTo(all.get(0)));
        }
        List<String> afterLast = TestCallers.asOperator().get("/api/v1/keys?after=" + all.get(all.size() - 1)).then().statusCode(200).extract().path("keyIds");
        assertThat(afterLast).isEmpty();
        TestCallers.asOperator().get("/api/v1/keys?limit=0").then().statusCode(400).body("detail", containsString("limit must be between 1 and 500"));
        TestCallers.asOperator().get("/api/v1/keys?limit=many").then().statusCode(400).contentType(containsString("problem+json"));
    }

    private Session createSign(byte[] hash) {
        return grpc.createSession(CreateSessionRequest.newBuilder().setKind(SessionKind.SIGN).setKeyId(keyId).setMessage(ByteString.copyFrom(hash)).build());
    }

    private static io.mpcsystem.tss.Signature realSignature(Set<Integer> signers, byte[] hash) {
        SessionId sid = SessionId.random(RND);
        List<ProtocolParty<io.mpcsystem.tss.Signature>> ps = new ArrayList<>();
        for (int i : new TreeSet<>(signers)) ps.add(Dkls23Scheme.INSTANCE.sign(sid, shares.get(i), signers, hash, RND));
        return LocalNetwork.run(ps).values().iterator().next();
    }

    @Test
    @Order(2)
    void aSignatureIsAcceptedOnlyIfItVerifies() throws Exception {
        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        Session s = createSign(hash);
        assertThat(s.getRosterList()).hasSize(2);
        Set<Integer> signers = new TreeSet<>();
        s.getRosterList().forEach(r -> signers.add(r.getIndex()));
        io.mpcsystem.tss.Signature sig = realSignature(signers, hash);

        byte[] forged = sig.bytes();
        forged[40] ^= 1;
        Session bad = createSign(hash);
        TestParty reporter = PARTIES.get(bad.getRoster(0).getIndex() - 1);
        grpc.reportOutcome(success(reporter, bad.getSessionId(), shares.get(1).publicKey(), forged, sig.recoveryId().getAsInt()));
        Session badAfter = get(bad.getSessionId());
        assertThat(badAfter.getStatus()).isEqualTo(SessionStatus.FAILED);
        assertThat(badAfter.getFailureReason()).contains("does not verify");
        assertThat(badAfter.getCulpritPartyId()).isEqualTo(reporter.id);

        TestParty good = PARTIES.get(s.getRoster(1).getIndex() - 1);
        grpc.reportOutcome(success(good, s.getSessionId(), shares.get(1).publicKey(), sig.bytes(), sig.recoveryId().getAsInt()));
        Session done = get(s.getSessionId());
        assertThat(done.getStatus()).isEqualTo(SessionStatus.COMPLETED);
        assertThat(done.getSignature().toByteArray()).isEqualTo(sig.bytes());
        assertThat(done.getRecoveryId()).isEqualTo(sig.recoveryId().getAsInt());
        // a late report cannot change a completed session
        grpc.reportOutcome(PARTIES.get(s.getRoster(0).getIndex() - 1).sign(ReportOutcomeRequest.newBuilder().setSessionId(s.getSessionId())
                .setPartyId(PARTIES.get(s.getRoster(0).getIndex() - 1).id).setFailure(Failure.newBuilder().setReason("late")).build()));
        assertThat(get(s.getSessionId()).getStatus()).isEqualTo(SessionStatus.COMPLETED);
    }

    @Test
    @Order(3)
    void aFailureReportFailsTheSessionNamingTheCulprit() throws Exception {
        Session s = createSign(new byte[32]);
        TestParty reporter = PARTIES.get(s.getRoster(0).getIndex() - 1);
        String culprit = s.getRoster(1).getIdentity().getPartyId();
        grpc.reportOutcome(reporter.sign(ReportOutcomeRequest.newBuilder().setSessionId(s.getSessionId()).setPartyId(reporter.id)
                .setFailure(Failure.newBuilder().setReason("party 2: multiplication consistency check failed").setCulpritPartyId(culprit)).build()));
        Session after = get(s.getSessionId());
        assertThat(after.getStatus()).isEqualTo(SessionStatus.FAILED);
        assertThat(after.getCulpritPartyId()).isEqualTo(culprit);
        assertThat(after.getFailureReason()).contains("multiplication consistency check failed");
    }

    @Test
    @Order(3)
    void awaitAnswersWhenTheSessionEndsAndAfterItsLimitOtherwise() throws Exception {
        Session s = createSign(new byte[32]);
        // nothing happens: the answer comes at the limit, with the session still open
        long t0 = System.nanoTime();
        Session open = grpc.awaitSession(AwaitSessionRequest.newBuilder().setSessionId(s.getSessionId()).setMaxWaitMs(300).build());
        assertThat(open.getStatus()).isEqualTo(SessionStatus.PENDING);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        // a waiter is woken by the report that ends the session, long before its limit
        java.util.concurrent.CompletableFuture<Session> awaited = new java.util.concurrent.CompletableFuture<>();
        async.awaitSession(AwaitSessionRequest.newBuilder().setSessionId(s.getSessionId()).setMaxWaitMs(60_000).build(), new StreamObserver<>() {
            @Override
            public void onNext(Session v) {
                awaited.complete(v);
            }

            @Override
            public void onError(Throwable t) {
                awaited.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> endings.waiting() >= 1);
        assertThat(awaited).isNotDone();
        TestParty reporter = PARTIES.get(s.getRoster(0).getIndex() - 1);
        grpc.reportOutcome(reporter.sign(ReportOutcomeRequest.newBuilder().setSessionId(s.getSessionId()).setPartyId(reporter.id)
                .setFailure(Failure.newBuilder().setReason("aborted for the await test")).build()));
        Session ended = awaited.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(ended.getStatus()).isEqualTo(SessionStatus.FAILED);
        assertThat(ended.getFailureReason()).contains("aborted for the await test");
        assertThat(endings.waiting()).isZero();

        // an ended session is answered at once; bad requests are refused
        assertThat(grpc.awaitSession(AwaitSessionRequest.newBuilder().setSessionId(s.getSessionId()).setMaxWaitMs(60_000).build()).getStatus())
                .isEqualTo(SessionStatus.FAILED);
        assertThatThrownBy(() -> grpc.awaitSession(AwaitSessionRequest.newBuilder().setSessionId("no-such-session").setMaxWaitMs(100).build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> grpc.awaitSession(AwaitSessionRequest.newBuilder().setSessionId(s.getSessionId()).setMaxWaitMs(0).build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    @Order(4)
    void forgedReportsAndStrangersAreRefused() throws Exception {
        Session s = createSign(new byte[32]);
        TestParty member = PARTIES.get(s.getRoster(0).getIndex() - 1);
        TestParty impostor = new TestParty(member.id);
        ReportOutcomeRequest forged = impostor.sign(ReportOutcomeRequest.newBuilder().setSessionId(s.getSessionId()).setPartyId(member.id)
                .setFailure(Failure.newBuilder().setReason("fake")).build());
        assertThatThrownBy(() -> grpc.reportOutcome(forged)).isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThat(get(s.getSessionId()).getStatus()).isEqualTo(SessionStatus.PENDING);
        TestParty outsider = PARTIES.stream().filter(p -> s.getRosterList().stream().noneMatch(r -> r.getIdentity().getPartyId().equals(p.id)))
                .findFirst().orElseThrow();
        assertThatThrownBy(() -> grpc.joinSession(outsider.join(s.getSessionId())))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    @Order(5)
    void expiredSessionsFailNamingTheSilentParties() {
        Session s = createSign(new byte[32]);
        grpc.joinSession(PARTIES.get(s.getRoster(0).getIndex() - 1).join(s.getSessionId()));
        assertThat(service.expire(Instant.now().plus(Duration.ofHours(1)))).isGreaterThanOrEqualTo(1);
        Session after = get(s.getSessionId());
        assertThat(after.getStatus()).isEqualTo(SessionStatus.FAILED);
        assertThat(after.getFailureReason()).startsWith("timed out waiting for").contains(s.getRoster(1).getIdentity().getPartyId());
    }

    @Test
    @Order(6)
    void badRestInputGetsProblems() {
        String[][] cases = {
                {"{}", "400", "kind"},
                {"{\"kind\":\"dance\"}", "400", "kind"},
                {"{\"kind\":\"keygen\",\"protocol\":\"rsa\",\"threshold\":2,\"parties\":3}", "400", "unknown protocol"},
                {"{\"kind\":\"keygen\",\"protocol\":\"dkls23\",\"threshold\":4,\"parties\":3}", "400", "threshold"},
                {"{\"kind\":\"keygen\",\"protocol\":\"dkls23\",\"threshold\":2,\"parties\":9}", "409", "only 3 registered"},
                {"{\"kind\":\"sign\",\"keyId\":\"nope\",\"message\":\"00\"}", "404", "no key nope"},
                {"{\"kind\":\"sign\",\"keyId\":\"" + keyId + "\",\"message\":\"zz\"}", "400", "hex"},
                {"{\"kind\":\"sign\",\"keyId\":\"" + keyId + "\",\"message\":\"0011\"}", "400", "32-byte"},
                {"not json", "400", "JSON"}};
        for (String[] c : cases) {
            TestCallers.asAccount().contentType("application/json").body(c[0]).post("/api/v1/sessions").then()
                    .statusCode(Integer.parseInt(c[1])).contentType("application/problem+json").body("detail", containsString(c[2]));
        }
        TestCallers.asAccount().get("/api/v1/sessions/does-not-exist").then().statusCode(404).body("title", equalTo("Not Found"));
    }

    @Test
    @Order(7)
    void aClientsRequestRunsAsTheSessionItsAuthorizationNamesOnceAndUnderTheKeyIdItNames() {
        var a = io.mpcsystem.proto.coordinator.v1.RequestAuthorization.newBuilder().setKind(SessionKind.KEYGEN).setProtocol("dkls23")
                .setThreshold(2).setParties(3).setKeyId("key-named-by-the-client").setRequestId("request-" + java.util.UUID.randomUUID()).build();
        // the coordinator does not verify the signature (the parties do): any bytes stand for it here
        var signed = io.mpcsystem.proto.coordinator.v1.SignedAuthorization.newBuilder().setAuthorization(a.toByteString())
                .setSignature(ByteString.copyFrom(new byte[64])).build();
        CreateSessionRequest request = CreateSessionRequest.newBuilder().setKind(SessionKind.KEYGEN).setProtocol("dkls23").setThreshold(2).setParties(3)
                .setAuthorization(signed).build();
        Session created = grpc.createSession(request);
        assertThat(created.getSessionId()).isEqualTo(a.getRequestId());
        assertThat(created.getKeyId()).isEqualTo("key-named-by-the-client");
        assertThatThrownBy(() -> grpc.createSession(request)).as("the same request again")
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION))
                .hasMessageContaining("runs once");
        var other = a.toBuilder().setRequestId("request-" + java.util.UUID.randomUUID()).build();
        assertThatThrownBy(() -> grpc.createSession(request.toBuilder().setKeyId("key-other")
                .setAuthorization(signed.toBuilder().setAuthorization(other.toByteString())).build())).as("a key id the authorization does not name")
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessageContaining("not the key the request's authorization names");
        var existing = a.toBuilder().setRequestId("request-" + java.util.UUID.randomUUID()).setKeyId(keyId).build();
        assertThatThrownBy(() -> grpc.createSession(request.toBuilder().setAuthorization(signed.toBuilder().setAuthorization(existing.toByteString())).build()))
                .as("a key that exists").hasMessageContaining("exists already");
        assertThatThrownBy(() -> grpc.createSession(request.toBuilder().setAuthorization(signed.toBuilder().setAuthorization(ByteString.copyFromUtf8("junk"))).build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    @Order(7)
    void badGrpcInputIsInvalidArgument() {
        assertThatThrownBy(() -> grpc.registerParty(RegisterPartyRequest.newBuilder().setIdentity(
                PARTIES.get(0).identity().toBuilder().setSigningKey(ByteString.copyFrom(new byte[5]))).build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> grpc.createSession(CreateSessionRequest.getDefaultInstance()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> grpc.getSession(GetSessionRequest.newBuilder().setSessionId("missing").build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThatThrownBy(() -> grpc.reportOutcome(ReportOutcomeRequest.newBuilder().setSessionId("x").setPartyId("server-party-1").build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    @Order(7)
    void callersNeedTheirOwnToken() {
        String sign = "{\"kind\":\"sign\",\"keyId\":\"" + keyId + "\",\"message\":\"" + "ab".repeat(32) + "\"}";
        String refresh = "{\"kind\":\"refresh\",\"keyId\":\"" + keyId + "\"}";
        given().contentType("application/json").body(sign).post("/api/v1/sessions").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer not-a-token").contentType("application/json").body(sign).post("/api/v1/sessions").then().statusCode(401);
        TestCallers.asOperator().contentType("application/json").body(sign).post("/api/v1/sessions").then().statusCode(403);
        TestCallers.asAccount().contentType("application/json").body(refresh).post("/api/v1/sessions").then().statusCode(403);
        TestCallers.asAccount().get("/api/v1/keys").then().statusCode(403);
        given().get("/api/v1/keys").then().statusCode(401);
        given().get("/api/v1/sessions/anything").then().statusCode(401);

        var bare = SessionCoordinatorGrpc.newBlockingStub(channel);
        assertThatThrownBy(() -> bare.createSession(CreateSessionRequest.newBuilder().setKind(SessionKind.SIGN).setKeyId(keyId)
                .setMessage(ByteString.copyFrom(new byte[32])).build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> bare.getSession(GetSessionRequest.newBuilder().setSessionId("x").build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        var operator = SessionCoordinatorGrpc.newBlockingStub(channel).withInterceptors(new io.mpcsystem.proto.CallerToken(TestCallers.OPERATOR_TOKEN));
        assertThatThrownBy(() -> operator.createSession(CreateSessionRequest.newBuilder().setKind(SessionKind.SIGN).setKeyId(keyId)
                .setMessage(ByteString.copyFrom(new byte[32])).build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    @Test
    @Order(7)
    void onlyProvisionedPartiesRegisterAndAnIdentityIsNeverReplaced() throws Exception {
        TestParty rogue = new TestParty("aaa-rogue-1");
        assertThatThrownBy(() -> grpc.registerParty(rogue.registration()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED))
                .hasMessageContaining("not one of the provisioned parties");
        TestParty impostor = new TestParty("server-party-2");
        assertThatThrownBy(() -> grpc.registerParty(impostor.registration()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED))
                .hasMessageContaining("registered with other identity keys");
        // a registration signed by another key than the one it registers proves nothing
        RegisterPartyRequest stolen = PARTIES.get(1).registration().toBuilder().setIdentity(PARTIES.get(1).identity()).build();
        RegisterPartyRequest swapped = impostor.registration().toBuilder().setIdentity(PARTIES.get(1).identity()).build();
        grpc.registerParty(stolen); // the real party again: accepted
        assertThatThrownBy(() -> grpc.registerParty(swapped)).satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                .isEqualTo(Status.Code.PERMISSION_DENIED));
        // the impostor can neither watch nor join in the real party's name
        Session s = createSign(new byte[32]);
        TestParty member = PARTIES.get(s.getRoster(0).getIndex() - 1);
        TestParty fake = new TestParty(member.id);
        assertThatThrownBy(() -> grpc.joinSession(fake.join(s.getSessionId())))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> grpc.joinSession(JoinSessionRequest.newBuilder().setSessionId(s.getSessionId()).setPartyId(member.id).build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        assertThatThrownBy(() -> grpc.watchSessions(fake.watch()).hasNext())
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
        // key generation never takes anyone else
        TestCallers.asAccount().contentType("application/json").body("{\"kind\":\"keygen\",\"protocol\":\"dkls23\",\"threshold\":1,\"parties\":3}")
                .post("/api/v1/sessions").then().statusCode(400).body("detail", containsString("threshold must be between 2"));
    }

    @Test
    @Order(8)
    void healthAndMetrics() {
        TestCallers.asAccount().get("/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get(metricsUrl).then().statusCode(200).body(containsString("mpc_sessions_created_total"))
                .body(containsString("mpc_sessions_completed_total")).body(notNullValue());
    }
}
