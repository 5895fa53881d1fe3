package io.mpcsystem.account;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.mpcsystem.proto.CallerToken;
import io.mpcsystem.proto.RequestAuthorizations;
import io.mpcsystem.proto.coordinator.v1.RequestAuthorization;
import io.grpc.stub.StreamObserver;
import io.mpcsystem.proto.coordinator.v1.AwaitSessionRequest;
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
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.ProtocolMessage;
import io.mpcsystem.tss.protocol.ProtocolParty;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A session coordinator for tests: CreateSession really runs the threshold protocol with all
 * parties in this JVM (shares kept in memory), on a background thread so the service has to
 * poll GetSession as it would against the real one. Tests can make the next session of a kind
 * fail (by a party tampering with its messages, so the honest parties really abort), stall, or
 * come back with a corrupted signature.
 */
public final class TestCoordinator extends SessionCoordinatorGrpc.SessionCoordinatorImplBase {
    /**
     * TAMPER: a party tampers (the run aborts); STALL: the session never ends; CORRUPT_SIGNATURE:
     * a wrong signature comes back; REFUSE: CreateSession answers FAILED_PRECONDITION with a
     * description full of internals (hosts, classes) that must not reach a client.
     */
    public enum Behaviour { TAMPER, STALL, CORRUPT_SIGNATURE, REFUSE, RENAME_KEY }

    /** What REFUSE answers: the kind of internal detail a real coordinator's error could carry. */
    public static final String INTERNAL_REFUSAL = "pq: connection to 10.12.0.7:5432 refused at io.mpcsystem.coordinator.SessionRepository.insert";

    private final byte[] expectedAuthorization;
    private final RequestAuthorizations.Verifier verifier;
    /** Calls refused for a missing or wrong caller token. */
    public final AtomicInteger unauthenticated = new AtomicInteger();
    /** The verified authorizations of the KEYGEN and SIGN requests accepted, in order. */
    public final List<RequestAuthorization> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Set<String> requestIds = ConcurrentHashMap.newKeySet();

    /**
     * @param callerToken the token the service must present on every call
     * @param verifyKey   base64 X.509 public key of the service's request-signing key (what the parties pin)
     */
    public TestCoordinator(String callerToken, String verifyKey) {
        this.expectedAuthorization = ("Bearer " + callerToken).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        this.verifier = RequestAuthorizations.Verifier.fromBase64(verifyKey);
    }

    /** Like the real coordinator: a call without the right caller token is UNAUTHENTICATED before it reaches the service. */
    public ServerInterceptor callerCheck() {
        return new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
                String header = headers.get(CallerToken.AUTHORIZATION);
                if (header == null || !MessageDigest.isEqual(expectedAuthorization, header.getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                    unauthenticated.incrementAndGet();
                    call.close(Status.UNAUTHENTICATED.withDescription("a valid caller token is required"), new Metadata());
                    return new ServerCall.Listener<>() {
                    };
                }
                return next.startCall(call, headers);
            }
        };
    }

    /** The last accepted authorization of {@code kind}. */
    public RequestAuthorization lastAuthorization(SessionKind kind) {
        for (int i = authorizations.size() - 1; i >= 0; i--) {
            if (authorizations.get(i).getKind() == kind) return authorizations.get(i);
        }
        throw new AssertionError("no " + kind + " request was authorized");
    }

    private record StoredKey(String protocol, Map<Integer, KeyShare> shares) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, StoredKey> keys = new ConcurrentHashMap<>();
    private final Map<SessionKind, Behaviour> next = new ConcurrentHashMap<>();
    private final AtomicInteger created = new AtomicInteger();
    private final ExecutorService waiters = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-coordinator-await");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService runner = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "test-coordinator");
        t.setDaemon(true);
        return t;
    });

    public void next(SessionKind kind, Behaviour behaviour) {
        next.put(kind, behaviour);
    }

    public int sessionsCreated() {
        return created.get();
    }

    public void shutdown() {
        runner.shutdownNow();
        waiters.shutdownNow();
    }

    @Override
    public void createSession(CreateSessionRequest request, StreamObserver<Session> response) {
        if (next.remove(request.getKind(), Behaviour.REFUSE)) {
            response.onError(Status.FAILED_PRECONDITION.withDescription(INTERNAL_REFUSAL).asRuntimeException());
            return;
        }
        Status invalid = validate(request);
        if (invalid == null) invalid = authorized(request);
        if (invalid != null) {
            response.onError(invalid.asRuntimeException());
            return;
        }
        Behaviour behaviour = next.remove(request.getKind());
        Session session = Session.newBuilder()
                .setSessionId(UUID.randomUUID().toString())
                .setKind(request.getKind())
                .setProtocol(request.getProtocol())
                .setThreshold(request.getKind() == SessionKind.KEYGEN ? request.getThreshold() : keys.get(request.getKeyId()).shares().get(1).threshold())
                .setParties(request.getKind() == SessionKind.KEYGEN ? request.getParties() : keys.get(request.getKeyId()).shares().size())
                .setKeyId(request.getKeyId())
                .setMessage(request.getMessage())
                .setStatus(SessionStatus.PENDING)
                .build();
        sessions.put(session.getSessionId(), session);
        created.incrementAndGet();
        if (behaviour != Behaviour.STALL) runner.execute(() -> run(session, behaviour));
        response.onNext(session);
        response.onCompleted();
    }

    /** Answers AwaitSession like the real coordinator (when the session ends, or at the limit); false: like an older one without it. */
    public volatile boolean awaitSupported = true;
    public final AtomicInteger awaitCalls = new AtomicInteger();
    public final AtomicInteger getCalls = new AtomicInteger();

    @Override
    public void awaitSession(AwaitSessionRequest request, StreamObserver<Session> response) {
        if (!awaitSupported) {
            response.onError(Status.UNIMPLEMENTED.withDescription("Method not found: AwaitSession").asRuntimeException());
            return;
        }
        awaitCalls.incrementAndGet();
        long until = System.nanoTime() + request.getMaxWaitMs() * 1_000_000L;
        waiters.execute(() -> {
            Session s = sessions.get(request.getSessionId());
            while (s != null && !terminal(s) && System.nanoTime() < until) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
                s = sessions.get(request.getSessionId());
            }
            if (s == null) {
                response.onError(Status.NOT_FOUND.withDescription("no session " + request.getSessionId()).asRuntimeException());
                return;
            }
            response.onNext(s);
            response.onCompleted();
        });
    }

    private static boolean terminal(Session s) {
        return s.getStatus() == SessionStatus.COMPLETED || s.getStatus() == SessionStatus.FAILED;
    }

    @Override
    public void getSession(GetSessionRequest request, StreamObserver<Session> response) {
        getCalls.incrementAndGet();
        Session session = sessions.get(request.getSessionId());
        if (session == null) {
            response.onError(Status.NOT_FOUND.withDescription("no session " + request.getSessionId()).asRuntimeException());
            return;
        }
        response.onNext(session);
        response.onCompleted();
    }

    /**
     * What the parties check: the request carries an authorization signed with the service's key,
     * unexpired, never seen before, naming exactly this request (kind, protocol, and the key and
     * message of a SIGN or the threshold and party count of a KEYGEN).
     */
    private Status authorized(CreateSessionRequest request) {
        RequestAuthorization a;
        try {
            a = RequestAuthorizations.verify(request.getAuthorization(), verifier, java.time.Instant.now());
        } catch (RequestAuthorizations.RefusedAuthorization e) {
            return Status.PERMISSION_DENIED.withDescription(e.getMessage());
        }
        boolean matches = a.getKind() == request.getKind() && a.getProtocol().equals(request.getProtocol());
        if (request.getKind() == SessionKind.SIGN) {
            matches &= a.getKeyId().equals(request.getKeyId()) && a.getMessage().equals(request.getMessage()) && !a.getAccountId().isEmpty();
        } else {
            // a key generation names its key id, as the parties require
            matches &= a.getThreshold() == request.getThreshold() && a.getParties() == request.getParties()
                    && !a.getKeyId().isEmpty() && a.getKeyId().equals(request.getKeyId()) && a.getMessage().isEmpty();
        }
        if (!matches) return Status.PERMISSION_DENIED.withDescription("the authorization does not match the request");
        java.time.Instant expires = java.time.Instant.ofEpochSecond(a.getExpiresAt().getSeconds(), a.getExpiresAt().getNanos());
        if (expires.isAfter(java.time.Instant.now().plus(RequestAuthorizer.MAX_TTL))) {
            return Status.PERMISSION_DENIED.withDescription("the authorization is valid for too long");
        }
        if (!requestIds.add(a.getRequestId())) return Status.PERMISSION_DENIED.withDescription("the authorization was used before");
        authorizations.add(a);
        return null;
    }

    private Status validate(CreateSessionRequest request) {
        try {
            ThresholdScheme<?> scheme = Schemes.byId(request.getProtocol());
            if (request.getKind() == SessionKind.KEYGEN) {
                if (request.getThreshold() < 2 || request.getThreshold() > request.getParties()) {
                    return Status.INVALID_ARGUMENT.withDescription("bad threshold");
                }
            } else if (request.getKind() == SessionKind.SIGN) {
                StoredKey key = keys.get(request.getKeyId());
                if (key == null) return Status.NOT_FOUND.withDescription("no key " + request.getKeyId());
                if (!key.protocol().equals(scheme.id())) return Status.INVALID_ARGUMENT.withDescription("key is " + key.protocol());
            } else {
                return Status.UNIMPLEMENTED;
            }
            return null;
        } catch (IllegalArgumentException e) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
        }
    }

    private void run(Session session, Behaviour behaviour) {
        sessions.put(session.getSessionId(), session.toBuilder().setStatus(SessionStatus.RUNNING).build());
        Session.Builder done = session.toBuilder();
        UnaryOperator<ProtocolMessage> wire = behaviour == Behaviour.TAMPER ? TestCoordinator::tamperWithPartyTwo : UnaryOperator.identity();
        try {
            if (session.getKind() == SessionKind.KEYGEN) {
                Map<Integer, KeyShare> shares = keygen(Schemes.byId(session.getProtocol()), session, wire);
                // the key id the request (and its authorization) named, as the real coordinator does
                String keyId = behaviour == Behaviour.RENAME_KEY ? "key-of-the-coordinators-choice" : session.getKeyId();
                keys.put(keyId, new StoredKey(session.getProtocol(), shares));
                done.setKeyId(keyId).setPublicKey(ByteString.copyFrom(shares.get(1).publicKey()));
            } else {
                StoredKey key = keys.get(session.getKeyId());
                Signature signature = sign(Schemes.byId(key.protocol()), key.shares(), session.getThreshold(),
                        session.getMessage().toByteArray(), wire);
                byte[] bytes = signature.bytes();
                if (behaviour == Behaviour.CORRUPT_SIGNATURE) bytes[5] ^= 0x01;
                done.setPublicKey(ByteString.copyFrom(key.shares().get(1).publicKey())).setSignature(ByteString.copyFrom(bytes));
                signature.recoveryId().ifPresent(done::setRecoveryId);
            }
            done.setStatus(SessionStatus.COMPLETED);
        } catch (ProtocolAbort abort) {
            done.setStatus(SessionStatus.FAILED).setFailureReason("party aborted: " + abort.getMessage());
            abort.culprit().ifPresent(c -> done.setCulpritPartyId("server-party-" + c));
        } catch (RuntimeException e) {
            done.setStatus(SessionStatus.FAILED).setFailureReason("coordinator error: " + e);
        }
        sessions.put(session.getSessionId(), done.build());
    }

    private static ProtocolMessage tamperWithPartyTwo(ProtocolMessage m) {
        if (m.from() != 2 || m.round() != 2) return m;
        byte[] payload = m.payload();
        payload[payload.length - 1] ^= 0x01;
        return new ProtocolMessage(m.round(), m.from(), m.to(), payload);
    }

    @SuppressWarnings("unchecked")
    private <S extends KeyShare> Map<Integer, KeyShare> keygen(ThresholdScheme<S> scheme, Session session, UnaryOperator<ProtocolMessage> wire) {
        SessionId sid = SessionId.random(random);
        List<ProtocolParty<S>> parties = new ArrayList<>();
        for (int i = 1; i <= session.getParties(); i++) parties.add(scheme.keygen(sid, i, session.getThreshold(), session.getParties(), random));
        return (Map<Integer, KeyShare>) LocalNetwork.run(parties, wire);
    }

    @SuppressWarnings("unchecked")
    private <S extends KeyShare> Signature sign(ThresholdScheme<S> scheme, Map<Integer, KeyShare> shares, int threshold, byte[] message,
                                                UnaryOperator<ProtocolMessage> wire) {
        SessionId sid = SessionId.random(random);
        Set<Integer> signers = new TreeSet<>();
        for (int i = 1; i <= threshold; i++) signers.add(i);
        List<ProtocolParty<Signature>> parties = new ArrayList<>();
        for (int i : signers) parties.add(scheme.sign(sid, (S) shares.get(i), signers, message, random));
        return LocalNetwork.run(parties, wire).values().iterator().next();
    }
}
