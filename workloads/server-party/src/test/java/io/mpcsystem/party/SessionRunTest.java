package io.mpcsystem.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.mpcsystem.proto.router.v1.Envelope;
import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.dkls23.Dkls23KeyShare;
import io.mpcsystem.tss.dkls23.Dkls23Scheme;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.ProtocolMessage;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.mpcsystem.tss.protocol.Expectation;
import io.mpcsystem.tss.protocol.Inbox;
import io.mpcsystem.tss.protocol.Round;
import io.mpcsystem.tss.protocol.Transition;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three parties run DKLs23 over a router that only sees signed, encrypted envelopes. */
class SessionRunTest {
    private static final SecureRandom RND = new SecureRandom();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);
    private static final List<PartyIdentity> IDS = List.of(
            PartyIdentity.generate("party-a", RND), PartyIdentity.generate("party-b", RND), PartyIdentity.generate("party-c", RND));
    private static final Roster ROSTER = new Roster(List.of(member(1, IDS.get(0)), member(2, IDS.get(1)), member(3, IDS.get(2))));
    private static Map<Integer, Dkls23KeyShare> shares;

    private static Roster.Member member(int index, PartyIdentity id) {
        return new Roster.Member(index, id.partyId(), id.signingKey(), id.encryptionKey());
    }

    @BeforeAll
    static void keygenOverTheRouter() throws Exception {
        SessionId sid = SessionId.random(RND);
        shares = runAll(new InMemoryRouter(), "keygen-1", List.of(1, 2, 3), i -> Dkls23Scheme.INSTANCE.keygen(sid, i, 2, 3, RND), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    /** Runs the given parties concurrently; the outputs by index, or the first failure. */
    static <O> Map<Integer, O> runAll(InMemoryRouter router, String session, List<Integer> indices,
                                      IntFunction<ProtocolParty<O>> factory, Duration timeout) throws Exception {
        Map<Integer, Future<O>> futures = new TreeMap<>();
        Instant deadline = Instant.now().plus(timeout);
        for (int i : indices) {
            PartyIdentity id = IDS.get(i - 1);
            var queue = router.subscribe(id.partyId());
            EnvelopeCodec codec = new EnvelopeCodec(id, session, ROSTER, RND);
            SessionRun<O> run = new SessionRun<>(factory.apply(i), codec, batch -> batch.forEach(router::publish), Clock.systemUTC());
            futures.put(i, POOL.submit(() -> run.run(queue, deadline)));
        }
        Map<Integer, O> out = new TreeMap<>();
        for (var e : futures.entrySet()) {
            try {
                out.put(e.getKey(), e.getValue().get());
            } catch (ExecutionException ex) {
                if (ex.getCause() instanceof Exception c) throw c;
                throw ex;
            }
        }
        return out;
    }

    private static Map<Integer, Signature> sign(InMemoryRouter router, String session, Set<Integer> signers, byte[] hash, Duration timeout) throws Exception {
        SessionId sid = SessionId.random(RND);
        return runAll(router, session, new ArrayList<>(new java.util.TreeSet<>(signers)),
                i -> Dkls23Scheme.INSTANCE.sign(sid, shares.get(i), signers, hash, RND), timeout);
    }

    @Test
    void keygenAndSignThroughTheRouter() throws Exception {
        assertThat(shares).hasSize(3);
        byte[] pk = shares.get(1).publicKey();
        assertThat(shares.values()).allSatisfy(s -> assertThat(s.publicKey()).isEqualTo(pk));
        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        InMemoryRouter router = new InMemoryRouter();
        Map<Integer, Signature> sigs = sign(router, "sign-1", Set.of(1, 3), hash, Duration.ofSeconds(20));
        assertThat(Dkls23Scheme.INSTANCE.verify(pk, hash, sigs.get(1))).isTrue();
        assertThat(router.published).filteredOn(e -> !e.getToParty().isEmpty()).isNotEmpty();
    }

    @Test
    void duplicatedDeliveryIsHarmless() throws Exception {
        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        InMemoryRouter router = new InMemoryRouter(e -> List.of(e, e));
        Map<Integer, Signature> sigs = sign(router, "sign-dup", Set.of(1, 2), hash, Duration.ofSeconds(20));
        assertThat(Dkls23Scheme.INSTANCE.verify(shares.get(1).publicKey(), hash, sigs.get(2))).isTrue();
    }

    @Test
    void alteredEnvelopesAreDroppedNotBlamedAndTheRunTimesOut() {
        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        Function<Envelope, List<Envelope>> flipP2p = e -> {
            if (e.getToParty().isEmpty()) return List.of(e);
            byte[] p = e.getPayload().toByteArray();
            p[p.length / 2] ^= 1;
            return List.of(e.toBuilder().setPayload(ByteString.copyFrom(p)).build());
        };
        assertThatThrownBy(() -> sign(new InMemoryRouter(flipP2p), "sign-evil", Set.of(1, 2), hash, Duration.ofSeconds(2)))
                .isInstanceOf(ProtocolAbort.class)
                .satisfies(e -> assertThat(((ProtocolAbort) e).culprit()).isEmpty())
                .hasMessageContaining("timed out in round 1");
    }

    @Test
    void envelopesOfAnotherSessionOrForgedSendersAreRejected() throws Exception {
        EnvelopeCodec a = new EnvelopeCodec(IDS.get(0), "s1", ROSTER, RND);
        EnvelopeCodec b = new EnvelopeCodec(IDS.get(1), "s1", ROSTER, RND);
        EnvelopeCodec bOther = new EnvelopeCodec(IDS.get(1), "s2", ROSTER, RND);
        Envelope e = a.seal(new ProtocolMessage(1, 1, 2, new byte[] {1, 2, 3}));
        assertThat(b.open(e).payload()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> bOther.open(e)).isInstanceOf(EnvelopeRejected.class).hasMessageContaining("another session");
        Envelope renamed = e.toBuilder().setFromParty("party-c").build();
        assertThatThrownBy(() -> b.open(renamed)).isInstanceOf(EnvelopeRejected.class).hasMessageContaining("does not verify");
        Envelope moved = e.toBuilder().setRound(2).build();
        assertThatThrownBy(() -> b.open(moved)).isInstanceOf(EnvelopeRejected.class);
        // the payload travels encrypted: the router never sees the plaintext
        byte[] secret = new byte[64];
        RND.nextBytes(secret);
        Envelope hidden = a.seal(new ProtocolMessage(1, 1, 2, secret));
        assertThat(indexOf(hidden.getPayload().toByteArray(), secret)).isEqualTo(-1);
        assertThat(b.open(hidden).payload()).isEqualTo(secret);
        // party c cannot read what a sent to b
        EnvelopeCodec c = new EnvelopeCodec(IDS.get(2), "s1", ROSTER, RND);
        assertThatThrownBy(() -> c.open(e)).isInstanceOf(EnvelopeRejected.class).hasMessageContaining("addressed to");
    }

    @Test
    void oneEphemeralKeyPerReceiverAndSessionWithFreshNonces() throws Exception {
        EnvelopeCodec a = new EnvelopeCodec(IDS.get(0), "s-eph", ROSTER, RND);
        EnvelopeCodec b = new EnvelopeCodec(IDS.get(1), "s-eph", ROSTER, RND);
        EnvelopeCodec c = new EnvelopeCodec(IDS.get(2), "s-eph", ROSTER, RND);
        byte[] first = a.seal(new ProtocolMessage(1, 1, 2, new byte[] {1})).getPayload().toByteArray();
        byte[] second = a.seal(new ProtocolMessage(2, 1, 2, new byte[] {2})).getPayload().toByteArray();
        byte[] toC = a.seal(new ProtocolMessage(1, 1, 3, new byte[] {3})).getPayload().toByteArray();
        assertThat(Arrays.copyOf(second, 32)).isEqualTo(Arrays.copyOf(first, 32));
        assertThat(Arrays.copyOf(toC, 32)).isNotEqualTo(Arrays.copyOf(first, 32));
        assertThat(Arrays.copyOfRange(second, 32, 44)).isNotEqualTo(Arrays.copyOfRange(first, 32, 44));
        // another session draws another ephemeral key
        byte[] otherSession = new EnvelopeCodec(IDS.get(0), "s-eph-2", ROSTER, RND).seal(new ProtocolMessage(1, 1, 2, new byte[] {1})).getPayload().toByteArray();
        assertThat(Arrays.copyOf(otherSession, 32)).isNotEqualTo(Arrays.copyOf(first, 32));
        // the receiver's cached key opens the second envelope; a tampered ciphertext is still rejected
        Envelope e1 = a.seal(new ProtocolMessage(1, 1, 2, new byte[] {7, 7}));
        Envelope e2 = a.seal(new ProtocolMessage(2, 1, 2, new byte[] {8, 8}));
        assertThat(b.open(e1).payload()).containsExactly(7, 7);
        assertThat(b.open(e2).payload()).containsExactly(8, 8);
        assertThat(c.open(a.seal(new ProtocolMessage(1, 1, 3, new byte[] {5}))).payload()).containsExactly(5);
        byte[] tampered = e2.getPayload().toByteArray();
        tampered[tampered.length - 1] ^= 1;
        Envelope bad = EnvelopeCodec.signed(IDS.get(0), e2.toBuilder().setPayload(ByteString.copyFrom(tampered)).build());
        assertThatThrownBy(() -> b.open(bad)).isInstanceOf(EnvelopeRejected.class).hasMessageContaining("does not decrypt");
        // after the session the keys are gone: nothing more is sealed or opened under them
        a.wipe();
        assertThatThrownBy(() -> a.seal(new ProtocolMessage(2, 1, 2, new byte[] {1}))).isInstanceOf(IllegalStateException.class);
        b.wipe();
        assertThatThrownBy(() -> b.open(e1)).isInstanceOf(EnvelopeRejected.class);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** A round that waits for party 2's broadcast, then goes on to {@code then}. */
    private record AwaitBroadcastOf2(java.util.function.Supplier<Transition<String>> then) implements Round<String> {
        @Override
        public Expectation expects() {
            return new Expectation(Set.of(2), true, false);
        }

        @Override
        public Transition<String> process(Inbox inbox) {
            return then.get();
        }
    }

    @Test
    void anAbortStopsTheRunEvenWhenBufferedMessagesWouldFinishIt() {
        // party 1 of a three-round protocol; party 2's rounds arrive as 3, 2, 1, so that once round 1
        // is in, rounds 2 and 3 complete from the buffer without another wait
        Round<String> r3 = new AwaitBroadcastOf2(() -> Transition.done("finished"));
        Round<String> r2 = new AwaitBroadcastOf2(() -> Transition.next(r3, Transition.Outgoing.none()));
        Round<String> r1 = new AwaitBroadcastOf2(() -> Transition.next(r2, Transition.Outgoing.none()));
        EnvelopeCodec sender = new EnvelopeCodec(IDS.get(1), "abort-buffered", ROSTER, RND);
        var inbound = new java.util.concurrent.LinkedBlockingQueue<Envelope>();
        for (int round = 3; round >= 1; round--) inbound.add(sender.seal(new ProtocolMessage(round, 2, ProtocolMessage.BROADCAST, new byte[] {(byte) round})));
        // the coordinator aborts the session once the last message is in (the fourth look at the flag)
        var looks = new java.util.concurrent.atomic.AtomicInteger();
        SessionRun<String> run = new SessionRun<>(new ProtocolParty<>(1, r1, Transition.Outgoing.none()),
                new EnvelopeCodec(IDS.get(0), "abort-buffered", ROSTER, RND), batch -> { }, Clock.systemUTC(),
                () -> looks.incrementAndGet() > 3 ? "the session was aborted" : null);
        assertThatThrownBy(() -> run.run(inbound, Instant.now().plusSeconds(10)))
                .isInstanceOf(ProtocolAbort.class).hasMessageContaining("the session was aborted");
    }

    @Test
    void aSignedSenderEquivocatingIsBlamed() {
        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        // party 2's round-1 broadcast is followed by a second, different broadcast it also signed
        EnvelopeCodec forger = new EnvelopeCodec(IDS.get(1), "sign-equivocate", ROSTER, RND);
        Function<Envelope, List<Envelope>> equivocate = e -> {
            if (!e.getFromParty().equals("party-b") || !e.getToParty().isEmpty() || e.getRound() != 1) return List.of(e);
            return List.of(e, forger.seal(new ProtocolMessage(1, 2, ProtocolMessage.BROADCAST, new byte[] {9, 9})));
        };
        assertThatThrownBy(() -> sign(new InMemoryRouter(equivocate), "sign-equivocate", Set.of(1, 2), hash, Duration.ofSeconds(10)))
                .isInstanceOf(ProtocolAbort.class)
                .satisfies(e -> assertThat(((ProtocolAbort) e).culprit()).hasValue(2));
    }

    @Test
    void identityPrivateKeysRoundTrip() {
        PartyIdentity id = IDS.get(0);
        byte[] enc = id.encodePrivate();
        PartyIdentity back = PartyIdentity.decodePrivate("party-a", enc);
        assertThat(back.signingKey()).isEqualTo(id.signingKey());
        assertThat(back.encryptionKey()).isEqualTo(id.encryptionKey());
        assertThat(back.toString()).contains("redacted");
        assertThatThrownBy(() -> PartyIdentity.decodePrivate("x", new byte[] {0, 0, 0, 5, 1})).isInstanceOf(IllegalArgumentException.class);
    }
}
