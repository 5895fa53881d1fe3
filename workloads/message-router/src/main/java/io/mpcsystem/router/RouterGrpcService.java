package io.mpcsystem.router;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.mpcsystem.proto.router.v1.Envelope;
import io.mpcsystem.proto.router.v1.MessageRouterGrpc;
import io.mpcsystem.proto.router.v1.PublishRequest;
import io.mpcsystem.proto.router.v1.PublishResponse;
import io.mpcsystem.proto.router.v1.SubscribeRequest;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/** The router's gRPC face: validates and appends envelopes, and streams each subscriber its envelopes. */
@GrpcService
public class RouterGrpcService extends MessageRouterGrpc.MessageRouterImplBase {
    private static final Logger LOG = Logger.getLogger(RouterGrpcService.class);
    private static final Duration BLOCK = Duration.ofSeconds(1);

    private final SessionStream stream;
    private final Counter published;
    private final Counter delivered;
    private final Counter rejected;
    // a subscription is a loop of blocking reads; it must not hold a gRPC or event-loop thread
    private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "router-subscriber");
        t.setDaemon(true);
        return t;
    });

    /** MPC_PARTY_IDS: when set, only these parties may publish. */
    private final java.util.Set<String> provisioned;

    private final SenderIdentities senders;

    public RouterGrpcService(SessionStream stream, MeterRegistry metrics, SenderIdentities senders,
                             @org.eclipse.microprofile.config.inject.ConfigProperty(name = "mpc.party.ids") java.util.Optional<java.util.List<String>> partyIds) {
        this.stream = stream;
        this.senders = senders;
        this.provisioned = java.util.Set.copyOf(partyIds.orElse(java.util.List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        this.published = metrics.counter("mpc_router_envelopes_published");
        this.delivered = metrics.counter("mpc_router_envelopes_delivered");
        this.rejected = metrics.counter("mpc_router_envelopes_rejected");
    }

    @Override
    @Blocking
    public void publish(PublishRequest request, StreamObserver<PublishResponse> response) {
        String problem = request.hasEnvelope() ? EnvelopeValidator.problem(request.getEnvelope()) : "envelope is missing";
        if (problem != null) {
            rejected.increment();
            response.onError(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
            return;
        }
        if (!provisioned.isEmpty() && !provisioned.contains(request.getEnvelope().getFromParty())) {
            rejected.increment();
            response.onError(Status.PERMISSION_DENIED.withDescription("from_party is not one of the provisioned parties").asRuntimeException());
            return;
        }
        try {
            SenderIdentities.Verdict verdict = senders.check(request.getEnvelope());
            if (verdict != SenderIdentities.Verdict.SIGNED) {
                rejected.increment();
                // an unknown sender may just not be published yet (the party retries); a forgery is final
                Status s = verdict == SenderIdentities.Verdict.FORGED
                        ? Status.PERMISSION_DENIED.withDescription("the envelope is not signed by " + request.getEnvelope().getFromParty() + "'s registered identity")
                        : Status.UNAVAILABLE.withDescription("no registered identity for " + request.getEnvelope().getFromParty() + " yet");
                response.onError(s.asRuntimeException());
                return;
            }
            String id = stream.append(request.getEnvelope());
            published.increment();
            response.onNext(PublishResponse.newBuilder().setStreamId(id).build());
            response.onCompleted();
        } catch (SessionStream.QuotaExceeded e) {
            rejected.increment();
            LOG.warnf("refused an envelope: %s", e.getMessage());
            response.onError(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException());
        } catch (RuntimeException e) {
            LOG.warnf("cannot store an envelope of session %s: %s", request.getEnvelope().getSessionId(), e.getMessage());
            response.onError(Status.UNAVAILABLE.withDescription("message store unavailable").asRuntimeException());
        }
    }

    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<Envelope> response) {
        String problem = EnvelopeValidator.subscriptionProblem(request.getSessionId(), request.getPartyId());
        if (problem == null && !request.getAfterStreamId().isEmpty() && !request.getAfterStreamId().matches("\\d+-\\d+")) {
            problem = "after_stream_id must be empty or a stream id such as 1700000000000-0";
        }
        if (problem != null) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(problem).asRuntimeException());
            return;
        }
        ServerCallStreamObserver<Envelope> call = (ServerCallStreamObserver<Envelope>) response;
        readers.submit(() -> {
            String after = request.getAfterStreamId().isEmpty() ? "0" : request.getAfterStreamId();
            try {
                while (!call.isCancelled()) {
                    SessionStream.Batch batch = stream.read(request.getSessionId(), request.getPartyId(), after, BLOCK);
                    for (Envelope e : batch.envelopes()) {
                        if (call.isCancelled()) return;
                        synchronized (call) {
                            call.onNext(e);
                        }
                        delivered.increment();
                    }
                    after = batch.lastId();
                }
            } catch (RuntimeException e) {
                if (!call.isCancelled()) {
                    LOG.warnf("subscription of %s to session %s ended: %s", request.getPartyId(), request.getSessionId(), e.getMessage());
                    call.onError(Status.UNAVAILABLE.withDescription("message store unavailable").asRuntimeException());
                }
            }
        });
    }
}
