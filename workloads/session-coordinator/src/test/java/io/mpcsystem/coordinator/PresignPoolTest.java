package io.mpcsystem.coordinator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.mpcsystem.proto.coordinator.v1.CreateSessionRequest;
import io.mpcsystem.proto.coordinator.v1.GetSessionRequest;
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
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.dkls23.Dkls23KeyShare;
import io.mpcsystem.tss.dkls23.Dkls23Presignature;
import io.mpcsystem.tss.dkls23.Dkls23Scheme;
import io.mpcsystem.tss.dkls23.Dkls23SignatureShare;
import io.mpcsystem.tss.protocol.LocalNetwork;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The coordinator's presignature pool with real DKLs23 presignatures computed in the test (the
 * parties' side, without their processes): a key that signs gets its pool topped up through
 * PRESIGN sessions, a signature then takes a presignature and is combined by the coordinator,
 * never the same presignature twice, wrong shares fail the session, and a refresh empties the pool.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedStores.class)
@TestProfile(PresignPoolTest.Pool.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PresignPoolTest {
    private static final int POOL = 3;
    private static final SecureRandom RND = new SecureRandom();
    private static final Dkls23Scheme DKLS = Dkls23Scheme.INSTANCE;
    private static ManagedChannel channel;
    private static SessionCoordinatorGrpc.SessionCoordinatorBlockingStub grpc;
    private static final List<TestParty> PARTIES = new ArrayList<>();
    private static final List<Session> INVITATIONS = new CopyOnWriteArrayList<>();
    private static final Map<String, Map<Integer, Dkls23Presignature>> HELD = new ConcurrentHashMap<>();
    private static final Set<String> ANSWERED = ConcurrentHashMap.newKeySet();
    private static Map<Integer, Dkls23KeyShare> shares;
    private static String keyId;
    private static byte[] pk;

    /** A small pool, filled quickly. */
    public static class Pool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mpc.presign.pool-size", String.valueOf(POOL), "mpc.presign.max-inflight", "2", "mpc.presign.max-inflight-total", "1",
                    "quarkus.grpc.server.test-port", "19071");
        }
    }

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metricsUrl;
    @Inject
    PresignaturePool pool;
    @Inject
    SessionRepository sessions;
    @Inject
    PresignRefill refill;

    @BeforeAll
    static void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", 19071).usePlaintext().build();
        grpc = TestCallers.accountStub(channel);
        SessionId sid = SessionId.random(RND);
        List<ProtocolParty<Dkls23KeyShare>> ps = new ArrayList<>();
        for (int i = 1; i <= 3; i++) ps.add(DKLS.keygen(sid, i, 2, 3, RND));
        shares = LocalNetwork.run(ps);
        pk = shares.get(1).publicKey();
    }

    @AfterAll
    static void disconnect() {
        channel.shutdownNow();
    }

    private static void watch(TestParty party) {
        SessionCoordinatorGrpc.SessionCoordinatorStub async = TestCallers.accountAsyncStub(channel);
        Context.current().withCancellation().run(() -> async.watchSessions(party.watch(),
                new StreamObserver<SessionInvitation>() {
                    @Override
                    public void onNext(SessionInvitation v) {
                        INVITATIONS.add(v.getSession());
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                }));
    }

    private static ReportOutcomeRequest report(int index, String session, Success.Builder success) throws Exception {
        TestParty p = PARTIES.get(index - 1);
        return p.sign(ReportOutcomeRequest.newBuilder().setSessionId(session).setPartyId(p.id).setSuccess(success.setPublicKey(ByteString.copyFrom(pk))).build());
    }

    private static Set<Integer> signers(Session s) {
        Set<Integer> out = new TreeSet<>();
        s.getRosterList().forEach(r -> out.add(r.getIndex()));
        return out;
    }

    /** What the parties do on a PRESIGN invitation: run the presign rounds, keep the presignatures, report R. */
    private static void answerPresigns() throws Exception {
        for (Session s : INVITATIONS) {
            if (s.getKind() != SessionKind.PRESIGN || !ANSWERED.add(s.getSessionId())) continue;
            SessionId sid = SessionId.random(RND);
            List<ProtocolParty<Dkls23Presignature>> ps = new ArrayList<>();
            for (int i : signers(s)) ps.add(DKLS.presign(sid, shares.get(i), signers(s), RND));
            Map<Integer, Dkls23Presignature> made = LocalNetwork.run(ps);
            HELD.put(s.getSessionId(), made);
            for (int i : made.keySet()) {
                grpc.reportOutcome(report(i, s.getSessionId(), Success.newBuilder().setInstanceKey(ByteString.copyFrom(made.get(i).instanceKey()))));
            }
        }
    }

    private int ready() {
        return sessions.inTransaction(c -> pool.ready(c, keyId));
    }

    private int readyWith(String partyId) {
        return sessions.inTransaction(c -> {
            try (var q = c.prepareStatement("SELECT count(*) FROM presignatures WHERE key_id = ? AND ? = ANY (party_ids)")) {
                q.setString(1, keyId);
                q.setString(2, partyId);
                try (var r = q.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        });
    }

    private void fillPool() {
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
            answerPresigns();
            return ready() == POOL;
        });
    }

    private static Session sign(byte[] hash) {
        return grpc.createSession(CreateSessionRequest.newBuilder().setKind(SessionKind.SIGN).setKeyId(keyId).setMessage(ByteString.copyFrom(hash)).build());
    }

    private static Session get(String id) {
        return grpc.getSession(GetSessionRequest.newBuilder().setSessionId(id).build());
    }

    private static byte[] hash() {
        byte[] h = new byte[32];
        RND.nextBytes(h);
        return h;
    }

    @Test
    @Order(1)
    void aKeyThatSignsGetsAPoolOfPresignatures() throws Exception {
        for (int i = 1; i <= 3; i++) {
            TestParty p = new TestParty("pool-party-" + i);
            PARTIES.add(p);
            grpc.registerParty(p.registration());
            watch(p);
        }
        Session keygen = grpc.createSession(CreateSessionRequest.newBuilder().setKind(SessionKind.KEYGEN).setProtocol("dkls23").setThreshold(2).setParties(3).build());
        keyId = keygen.getKeyId();
        for (int i = 1; i <= 3; i++) grpc.reportOutcome(report(i, keygen.getSessionId(), Success.newBuilder()));
        assertThat(get(keygen.getSessionId()).getStatus()).isEqualTo(SessionStatus.COMPLETED);
        assertThat(ready()).isZero();

        // the key's first signature has no presignature: it runs online, and starts the pool
        Session first = sign(hash());
        assertThat(first.getPresignatureId()).isEmpty();
        fillPool();
        List<Session> presigns = INVITATIONS.stream().filter(s -> s.getKind() == SessionKind.PRESIGN).toList();
        assertThat(presigns).allSatisfy(s -> {
            assertThat(s.getKeyId()).isEqualTo(keyId);
            assertThat(s.getRosterList()).hasSize(2);
        });
        // presigning takes turns over the online members instead of always the first two
        assertThat(presigns.stream().flatMap(s -> s.getRosterList().stream()).map(r -> r.getIndex()).distinct().toList())
                .containsExactlyInAnyOrder(1, 2, 3);
        // a completed PRESIGN session leaves only its pool row behind
        assertThat(sessions.find(presigns.get(0).getSessionId())).isEmpty();
        // never more than the pool size, however often the refill runs
        int presignsSoFar = (int) INVITATIONS.stream().filter(s -> s.getKind() == SessionKind.PRESIGN).count();
        for (int i = 0; i < 3; i++) refill.topUp(keyId);
        answerPresigns();
        assertThat(ready()).isEqualTo(POOL);
        assertThat(INVITATIONS.stream().filter(s -> s.getKind() == SessionKind.PRESIGN).count()).isEqualTo(presignsSoFar);

        // two presignatures used: the key may make two at a time, but only one runs over all keys
        sign(hash());
        sign(hash());
        for (int i = 0; i < 3; i++) refill.topUp(keyId);
        int open = sessions.inTransaction(c -> {
            try (var q = c.prepareStatement("SELECT count(*) FROM sessions WHERE kind = 'PRESIGN' AND status IN ('PENDING', 'RUNNING')");
                 var r = q.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        });
        assertThat(open).isEqualTo(1);
        fillPool();
    }

    @Test
    @Order(2)
    void aSignatureTakesAPresignatureAndTheCoordinatorCombinesTheShares() throws Exception {
        Set<String> used = new HashSet<>();
        for (int round = 0; round < 5; round++) {
            fillPool();
            byte[] h = hash();
            Session s = sign(h);
            assertThat(s.getPresignatureId()).isNotEmpty();
            assertThat(used.add(s.getPresignatureId())).as("a presignature is handed out once").isTrue();
            Map<Integer, Dkls23Presignature> held = HELD.get(s.getPresignatureId());
            assertThat(signers(s)).isEqualTo(held.keySet());
            List<Integer> order = new ArrayList<>(held.keySet());
            for (int k = 0; k < order.size(); k++) {
                int i = order.get(k);
                grpc.reportOutcome(report(i, s.getSessionId(), Success.newBuilder()
                        .setSignatureShare(ByteString.copyFrom(held.get(i).signatureShare(h).encode()))));
                assertThat(get(s.getSessionId()).getStatus()).isEqualTo(k < order.size() - 1 ? SessionStatus.PENDING : SessionStatus.COMPLETED);
            }
            Session done = get(s.getSessionId());
            Signature sig = new Signature(done.getSignature().toByteArray(), OptionalInt.of(done.getRecoveryId()));
            assertThat(DKLS.verify(pk, h, sig)).as("signature verifies against the key").isTrue();
        }
        TestCallers.asAccount().get("/api/v1/sessions/" + sign(hash()).getSessionId()).then().statusCode(200).body("presignatureId", org.hamcrest.Matchers.notNullValue());
        given().get(metricsUrl).then().statusCode(200).body(containsString("mpc_presignatures_ready"));
    }

    @Test
    @Order(2)
    void createCanWaitForTheEndOfTheSessionItCreates() throws Exception {
        fillPool();
        byte[] h = hash();
        var answer = SessionCoordinatorGrpc.newFutureStub(channel).withInterceptors(new io.mpcsystem.proto.CallerToken(TestCallers.ACCOUNT_TOKEN)).createSession(CreateSessionRequest.newBuilder().setKind(SessionKind.SIGN)
                .setKeyId(keyId).setMessage(ByteString.copyFrom(h)).setAwaitMs(20_000).build());
        Session invited = Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> INVITATIONS.stream()
                .filter(s -> s.getKind() == SessionKind.SIGN && s.getMessage().equals(ByteString.copyFrom(h))).findFirst(), java.util.Optional::isPresent).get();
        Map<Integer, Dkls23Presignature> held = HELD.get(invited.getPresignatureId());
        List<Integer> signers = new ArrayList<>(held.keySet());
        grpc.reportOutcome(report(signers.get(0), invited.getSessionId(),
                Success.newBuilder().setSignatureShare(ByteString.copyFrom(held.get(signers.get(0)).signatureShare(h).encode()))));
        assertThat(answer.isDone()).as("no answer before the session has ended").isFalse();
        grpc.reportOutcome(report(signers.get(1), invited.getSessionId(),
                Success.newBuilder().setSignatureShare(ByteString.copyFrom(held.get(signers.get(1)).signatureShare(h).encode()))));
        Session done = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(done.getSessionId()).isEqualTo(invited.getSessionId());
        assertThat(done.getStatus()).isEqualTo(SessionStatus.COMPLETED);
        assertThat(DKLS.verify(pk, h, new Signature(done.getSignature().toByteArray(), OptionalInt.of(done.getRecoveryId())))).isTrue();
        // a wait beyond the limit is refused, and creates nothing
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(() -> grpc.createSession(CreateSessionRequest.newBuilder()
                .setKind(SessionKind.SIGN).setKeyId(keyId).setMessage(ByteString.copyFrom(h)).setAwaitMs(60_001).build()),
                io.grpc.StatusRuntimeException.class).getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    }

    @Test
    @Order(3)
    void aWrongShareFailsTheSessionAndAMalformedOneNamesItsSender() throws Exception {
        fillPool();
        byte[] h = hash();
        Session s = sign(h);
        Map<Integer, Dkls23Presignature> held = HELD.get(s.getPresignatureId());
        List<Integer> idx = new ArrayList<>(held.keySet());
        Dkls23SignatureShare honest = held.get(idx.get(0)).signatureShare(h);
        Dkls23SignatureShare real = held.get(idx.get(1)).signatureShare(h);
        Dkls23SignatureShare wrong = new Dkls23SignatureShare(real.index(), real.u(), real.w().add(BigInteger.ONE));
        grpc.reportOutcome(report(idx.get(0), s.getSessionId(), Success.newBuilder().setSignatureShare(ByteString.copyFrom(honest.encode()))));
        grpc.reportOutcome(report(idx.get(1), s.getSessionId(), Success.newBuilder().setSignatureShare(ByteString.copyFrom(wrong.encode()))));
        Session failed = get(s.getSessionId());
        assertThat(failed.getStatus()).isEqualTo(SessionStatus.FAILED);
        assertThat(failed.getFailureReason()).contains("does not verify");
        assertThat(failed.getSignature().isEmpty()).isTrue();

        fillPool();
        Session t = sign(h);
        int liar = t.getRoster(0).getIndex();
        int other = t.getRoster(1).getIndex();
        grpc.reportOutcome(report(liar, t.getSessionId(), Success.newBuilder().setSignatureShare(ByteString.copyFrom(new byte[] {1, 2, 3}))));
        grpc.reportOutcome(report(other, t.getSessionId(), Success.newBuilder()
                .setSignatureShare(ByteString.copyFrom(HELD.get(t.getPresignatureId()).get(other).signatureShare(h).encode()))));
        Session malformed = get(t.getSessionId());
        assertThat(malformed.getStatus()).isEqualTo(SessionStatus.FAILED);
        assertThat(malformed.getCulpritPartyId()).isEqualTo(PARTIES.get(liar - 1).id);
    }

    @Test
    @Order(4)
    void aPartyThatRegistersAgainTakesItsPresignaturesWithIt() {
        fillPool();
        String restarted = PARTIES.get(0).id;
        assertThat(readyWith(restarted)).isPositive();
        int others = ready() - readyWith(restarted);
        // a registration means the party (re)started, and a starting party discards its halves:
        // none made before may be handed out, so a restored backup cannot bring one back
        grpc.registerParty(PARTIES.get(0).registration());
        assertThat(readyWith(restarted)).isZero();
        assertThat(ready()).isEqualTo(others);
    }

    @Test
    @Order(5)
    void aRefreshEmptiesThePoolAndAPresignCannotBeRequested() {
        fillPool();
        SessionCoordinatorGrpc.newBlockingStub(channel).withInterceptors(new io.mpcsystem.proto.CallerToken(TestCallers.OPERATOR_TOKEN))
                .createSession(CreateSessionRequest.newBuilder().setKind(SessionKind.REFRESH).setKeyId(keyId).build());
        assertThat(ready()).isZero();
        TestCallers.asAccount().contentType("application/json").body("{\"kind\":\"presign\",\"keyId\":\"" + keyId + "\"}").post("/api/v1/sessions")
                .then().statusCode(400).body("detail", containsString("kind must be"));
    }
}
