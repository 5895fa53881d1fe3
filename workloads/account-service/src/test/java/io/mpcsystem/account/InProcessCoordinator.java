package io.mpcsystem.account;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.mpcsystem.proto.coordinator.v1.CreateSessionRequest;
import io.mpcsystem.proto.coordinator.v1.GetSessionRequest;
import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionCoordinatorGrpc;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.proto.coordinator.v1.SessionStatus;
import io.mpcsystem.tss.KeyShare;
import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.ThresholdScheme;
import io.mpcsystem.tss.protocol.LocalNetwork;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * For the account service's own tests: real PostgreSQL, and a real gRPC server speaking the
 * coordinator's API that runs the threshold protocols in this JVM (all parties, genuine keys and
 * signatures). The full system with the real coordinator is tested by `mpc up`'s tests.
 */
public class InProcessCoordinator extends SessionCoordinatorGrpc.SessionCoordinatorImplBase implements QuarkusTestResourceLifecycleManager {
    static final AtomicBoolean FAIL_NEXT = new AtomicBoolean();
    private static final SecureRandom RND = new SecureRandom();

    private final Map<String, Map<Integer, ? extends KeyShare>> keys = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private Server server;
    private EmbeddedPostgres postgres;

    @Override
    public Map<String, String> start() {
        try {
            postgres = EmbeddedPostgres.builder().start();
            server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(this).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("mpc.coordinator.address", "localhost:" + server.getPort(),
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres?currentSchema=account",
                "quarkus.datasource.username", "postgres", "quarkus.datasource.password", "");
    }

    @Override
    public void stop() {
        if (server != null) server.shutdownNow();
        try {
            if (postgres != null) postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void createSession(CreateSessionRequest r, StreamObserver<Session> out) {
        Session.Builder s = Session.newBuilder().setSessionId(UUID.randomUUID().toString()).setKind(r.getKind()).setProtocol(r.getProtocol());
        if (FAIL_NEXT.getAndSet(false)) {
            s.setStatus(SessionStatus.FAILED).setFailureReason("party server-party-2 aborted: test failure").setCulpritPartyId("server-party-2");
        } else if (r.getKind() == SessionKind.KEYGEN) {
            String keyId = "key-" + UUID.randomUUID();
            Map<Integer, ? extends KeyShare> shares = keygen(Schemes.byId(r.getProtocol()), r.getThreshold(), r.getParties());
            keys.put(keyId, shares);
            s.setKeyId(keyId).setStatus(SessionStatus.COMPLETED).setPublicKey(ByteString.copyFrom(shares.get(1).publicKey()));
        } else if (r.getKind() == SessionKind.SIGN && keys.containsKey(r.getKeyId())) {
            Signature sig = sign(Schemes.byId(r.getProtocol()), keys.get(r.getKeyId()), r.getMessage().toByteArray());
            s.setKeyId(r.getKeyId()).setStatus(SessionStatus.COMPLETED).setSignature(ByteString.copyFrom(sig.bytes()));
            sig.recoveryId().ifPresent(s::setRecoveryId);
        } else {
            out.onError(Status.NOT_FOUND.withDescription("no key " + r.getKeyId()).asRuntimeException());
            return;
        }
        Session built = s.build();
        sessions.put(built.getSessionId(), built);
        out.onNext(built);
        out.onCompleted();
    }

    @Override
    public void getSession(GetSessionRequest r, StreamObserver<Session> out) {
        Session s = sessions.get(r.getSessionId());
        if (s == null) {
            out.onError(Status.NOT_FOUND.asRuntimeException());
            return;
        }
        out.onNext(s);
        out.onCompleted();
    }

    private static <S extends KeyShare> Map<Integer, S> keygen(ThresholdScheme<S> scheme, int t, int n) {
        SessionId sid = SessionId.random(RND);
        List<ProtocolParty<S>> ps = new ArrayList<>();
        for (int i = 1; i <= n; i++) ps.add(scheme.keygen(sid, i, t, n, RND));
        return LocalNetwork.run(ps);
    }

    @SuppressWarnings("unchecked")
    private static <S extends KeyShare> Signature sign(ThresholdScheme<S> scheme, Map<Integer, ? extends KeyShare> shares, byte[] message) {
        Set<Integer> signers = new TreeSet<>();
        for (int i = 1; i <= shares.get(1).threshold(); i++) signers.add(i);
        SessionId sid = SessionId.random(RND);
        List<ProtocolParty<Signature>> ps = new ArrayList<>();
        for (int i : signers) ps.add(scheme.sign(sid, (S) shares.get(i), signers, message, RND));
        return LocalNetwork.run(ps).get(1);
    }
}
