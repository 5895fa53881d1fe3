package io.mpcsystem.party;

import io.mpcsystem.proto.router.v1.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * A router for tests: delivers each published envelope to every other subscriber it is meant for,
 * through {@code wire}, which may alter, drop (empty list) or duplicate it like a hostile router.
 */
final class InMemoryRouter {
    private final Map<String, BlockingQueue<Envelope>> queues = new ConcurrentHashMap<>();
    private final Function<Envelope, List<Envelope>> wire;
    final List<Envelope> published = java.util.Collections.synchronizedList(new ArrayList<>());

    InMemoryRouter(Function<Envelope, List<Envelope>> wire) {
        this.wire = wire;
    }

    InMemoryRouter() {
        this(List::of);
    }

    private final List<Envelope> delivered = new ArrayList<>();

    /** Like the real router, a late subscriber first receives everything published before. */
    synchronized BlockingQueue<Envelope> subscribe(String partyId) {
        return queues.computeIfAbsent(partyId, p -> {
            BlockingQueue<Envelope> q = new LinkedBlockingQueue<>();
            for (Envelope e : delivered) if (isFor(e, p)) q.add(e);
            return q;
        });
    }

    synchronized void publish(Envelope e) {
        published.add(e);
        for (Envelope out : wire.apply(e)) {
            delivered.add(out);
            queues.forEach((party, q) -> {
                if (isFor(out, party)) q.add(out);
            });
        }
    }

    private static boolean isFor(Envelope e, String party) {
        return !party.equals(e.getFromParty()) && (e.getToParty().isEmpty() || e.getToParty().equals(party));
    }
}
