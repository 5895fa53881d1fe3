package io.mpcsystem.party;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.mpcsystem.proto.router.v1.Envelope;
import io.mpcsystem.proto.router.v1.MessageRouterGrpc;
import io.mpcsystem.proto.router.v1.SubscribeRequest;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This party's stream of envelopes for one session. When the stream breaks (a router restart,
 * a network blip) it resubscribes after the last stream id it received, so nothing is lost or
 * delivered twice by the resumption itself.
 */
final class RouterSubscription implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RouterSubscription.class.getName());
    private static final ScheduledExecutorService RETRY = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "router-resubscribe");
        t.setDaemon(true);
        return t;
    });

    private final MessageRouterGrpc.MessageRouterStub router;
    private final String sessionId;
    private final String partyId;
    /** More than any protocol run needs: envelopes beyond it are dropped, so a flood cannot exhaust memory. */
    static final int CAPACITY = 1024;
    private final BlockingQueue<Envelope> queue = new LinkedBlockingQueue<>(CAPACITY);
    private volatile String lastStreamId = "";
    private volatile boolean closed;
    private volatile Context.CancellableContext current;

    RouterSubscription(MessageRouterGrpc.MessageRouterStub router, String sessionId, String partyId) {
        this.router = router;
        this.sessionId = sessionId;
        this.partyId = partyId;
        subscribe();
    }

    BlockingQueue<Envelope> queue() {
        return queue;
    }

    private void subscribe() {
        if (closed) return;
        Context.CancellableContext ctx = Context.current().withCancellation();
        current = ctx;
        SubscribeRequest req = SubscribeRequest.newBuilder().setSessionId(sessionId).setPartyId(partyId).setAfterStreamId(lastStreamId).build();
        ctx.run(() -> router.subscribe(req, new StreamObserver<>() {
            @Override
            public void onNext(Envelope e) {
                lastStreamId = e.getStreamId();
                if (!queue.offer(e)) LOG.log(Level.WARNING, "session {0}: more envelopes than any run needs; dropping", sessionId);
            }

            @Override
            public void onError(Throwable t) {
                if (closed) return;
                LOG.log(Level.INFO, "router stream of session {0} broke ({1}); resubscribing", new Object[] {sessionId, t.getMessage()});
                RETRY.schedule(RouterSubscription.this::subscribe, 500, TimeUnit.MILLISECONDS);
            }

            @Override
            public void onCompleted() {
                if (!closed) RETRY.schedule(RouterSubscription.this::subscribe, 100, TimeUnit.MILLISECONDS);
            }
        }));
    }

    @Override
    public void close() {
        closed = true;
        Context.CancellableContext ctx = current;
        if (ctx != null) ctx.cancel(null);
    }
}
