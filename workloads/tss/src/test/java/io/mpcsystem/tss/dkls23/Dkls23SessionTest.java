package io.mpcsystem.tss.dkls23;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.dkls23.ot.ExtensionReceiverSeeds;
import io.mpcsystem.tss.dkls23.ot.ExtensionSenderSeeds;
import io.mpcsystem.tss.group.Secp256k1;
import io.mpcsystem.tss.protocol.LocalNetwork;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.ProtocolMessage;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.mpcsystem.tss.protocol.Step;
import io.mpcsystem.tss.protocol.TamperingNetwork;
import io.mpcsystem.tss.testing.SeededRandom;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first round of DKLs23 signing: the run session built from every signer's fresh
 * contribution (so a repeated coordinator session id cannot make an honest OT-extension sender
 * expand the same pads twice), and the per-run zero sharing that re-randomises the key shares.
 */
class Dkls23SessionTest {
    private static final Secp256k1 G = Secp256k1.INSTANCE;
    private static final Dkls23Scheme SCHEME = Dkls23Scheme.INSTANCE;
    private static Map<Integer, Dkls23KeyShare> twoOfThree;
    private static Map<Integer, Dkls23KeyShare> threeOfThree;

    @BeforeAll
    static void keys() {
        twoOfThree = Dkls23CeremonyTest.keygen(2, 3, new SecureRandom());
        threeOfThree = Dkls23CeremonyTest.keygen(3, 3, new SecureRandom());
    }

    private static List<ProtocolMessage> from(int sender, int round, List<ProtocolMessage> all) {
        return all.stream().filter(m -> m.from() == sender && m.round() == round).toList();
    }

    private static List<ProtocolMessage> to(int receiver, List<ProtocolMessage> msgs) {
        return msgs.stream().filter(m -> m.isBroadcast() || m.to() == receiver).toList();
    }

    /** Runs presigners 1 and 2 of one session; party 2 draws from {@code party2}. Returns every message sent. */
    private static List<ProtocolMessage> recordedPresign(SessionId sid, SecureRandom party2) {
        List<ProtocolMessage> wire = new ArrayList<>();
        LocalNetwork.run(List.of(SCHEME.presign(sid, twoOfThree.get(1), Set.of(1, 2), new SecureRandom()),
                SCHEME.presign(sid, twoOfThree.get(2), Set.of(1, 2), party2)), m -> {
            wire.add(m);
            return m;
        });
        return wire;
    }

    @Test
    void aReceiverReplayingItsMessagesIntoARunWithTheSameSessionIdIsRefused() {
        // the proof of concept of issue 11: the coordinator repeats a session id, the receiver
        // repeats its extension nonce. Before, the honest sender then expanded the same pads twice;
        // now its own fresh contribution is in the run session, so the extension session differs
        SessionId sid = SessionId.random(new SecureRandom());
        List<ProtocolMessage> runA = recordedPresign(sid, new SeededRandom(99));
        List<ProtocolMessage> runB = recordedPresign(sid, new SeededRandom(99));
        // party 2 drew the same contribution and the same extension nonce in both runs ...
        assertThat(from(2, 1, runA).get(0)).isEqualTo(from(2, 1, runB).get(0));
        var requestA = SignMessages.MultiplyRequest.decode(from(2, 2, runA).stream().filter(m -> !m.isBroadcast()).findFirst().orElseThrow().payload());
        var requestB = SignMessages.MultiplyRequest.decode(from(2, 2, runB).stream().filter(m -> !m.isBroadcast()).findFirst().orElseThrow().payload());
        assertThat(requestB.request().nonce()).isEqualTo(requestA.request().nonce());
        // ... yet its OT extension ran under another session: same seeds, same choice bits, other columns
        assertThat(requestB.request().columns()[0]).isNotEqualTo(requestA.request().columns()[0]);

        // a third run of the same session id, in which party 2 replays its recorded messages of run A
        ProtocolParty<Dkls23Presignature> honest = SCHEME.presign(sid, twoOfThree.get(1), Set.of(1, 2), new SecureRandom());
        List<ProtocolMessage> honestRound1 = honest.start();
        Step<Dkls23Presignature> afterRound1 = honest.receive(to(1, from(2, 1, runA)));
        assertThat(afterRound1).isInstanceOf(Step.Continue.class);
        // replayed as recorded, its round-2 echo names run A's session: the echo stops the run first
        ProtocolParty<Dkls23Presignature> honestToo = SCHEME.presign(sid, twoOfThree.get(1), Set.of(1, 2), new SecureRandom());
        honestToo.start();
        honestToo.receive(to(1, from(2, 1, runA)));
        assertThatThrownBy(() -> honestToo.receive(to(1, from(2, 2, runA))))
                .isInstanceOfSatisfying(ProtocolAbort.class, a -> {
                    assertThat(a.culprit()).hasValue(2);
                    assertThat(a.getMessage()).contains("echoed another run session");
                    assertThat(a.pairwiseSetupBurned()).isFalse();
                });
        // a replaying party can compute the honest run session (it is public) and echo that: the OT
        // extension check is what must stop it then
        java.util.SortedMap<Integer, byte[]> contributions = new java.util.TreeMap<>();
        contributions.put(1, SignMessages.SessionContribution.decode(honestRound1.stream().filter(ProtocolMessage::isBroadcast).findFirst().orElseThrow().payload()).contribution());
        contributions.put(2, SignMessages.SessionContribution.decode(from(2, 1, runA).stream().filter(ProtocolMessage::isBroadcast).findFirst().orElseThrow().payload()).contribution());
        byte[] honestRun = Dkls23Presign.runSession(Dkls23Presign.PRESIGN_LABEL, sid, contributions);
        List<ProtocolMessage> replayed = from(2, 2, runA).stream().map(m -> !m.isBroadcast() ? m
                : new ProtocolMessage(m.round(), m.from(), m.to(),
                        new SignMessages.NonceCommitment(SignMessages.NonceCommitment.decode(m.payload()).digest(), honestRun).encode())).toList();
        assertThatThrownBy(() -> honest.receive(to(1, replayed)))
                .isInstanceOfSatisfying(ProtocolAbort.class, a -> {
                    assertThat(a.culprit()).hasValue(2);
                    assertThat(a.getMessage()).contains("OT extension consistency check failed");
                    assertThat(a.pairwiseSetupBurned()).isTrue();
                });
    }

    @Test
    void theRunSessionDependsOnEveryContributionAndTheCoordinatorsId() {
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        byte[] c1 = new byte[32];
        byte[] c2 = new byte[32];
        byte[] c1Fresh = new byte[32];
        rnd.nextBytes(c1);
        rnd.nextBytes(c2);
        rnd.nextBytes(c1Fresh);
        byte[] base = Dkls23Presign.runSession(Dkls23Presign.SIGN_LABEL, sid, new TreeMap<>(Map.of(1, c1, 2, c2)));
        assertThat(Dkls23Presign.runSession(Dkls23Presign.SIGN_LABEL, sid, new TreeMap<>(Map.of(1, c1, 2, c2)))).isEqualTo(base);
        assertThat(Dkls23Presign.runSession(Dkls23Presign.SIGN_LABEL, sid, new TreeMap<>(Map.of(1, c1Fresh, 2, c2)))).isNotEqualTo(base);
        assertThat(Dkls23Presign.runSession(Dkls23Presign.SIGN_LABEL, SessionId.random(rnd), new TreeMap<>(Map.of(1, c1, 2, c2)))).isNotEqualTo(base);
        assertThat(Dkls23Presign.runSession(Dkls23Presign.PRESIGN_LABEL, sid, new TreeMap<>(Map.of(1, c1, 2, c2)))).isNotEqualTo(base);
        // contributions are tied to their signer: swapping them is another session
        assertThat(Dkls23Presign.runSession(Dkls23Presign.SIGN_LABEL, sid, new TreeMap<>(Map.of(1, c2, 2, c1)))).isNotEqualTo(base);
    }

    @Test
    void aRoundOneMessageOfAnotherSessionIsRefused() {
        SecureRandom rnd = new SecureRandom();
        byte[] hash = new byte[32];
        ProtocolParty<Signature> honest = SCHEME.sign(SessionId.random(rnd), twoOfThree.get(1), Set.of(1, 2), hash, rnd);
        ProtocolParty<Signature> elsewhere = SCHEME.sign(SessionId.random(rnd), twoOfThree.get(2), Set.of(1, 2), hash, rnd);
        honest.start();
        List<ProtocolMessage> replayed = to(1, elsewhere.start());
        assertThatThrownBy(() -> honest.receive(replayed)).isInstanceOfSatisfying(ProtocolAbort.class, a -> {
            assertThat(a.culprit()).hasValue(2);
            assertThat(a.getMessage()).contains("another run");
        });
    }

    @Test
    void aPeerSendingBackOurContributionIsBlamed() {
        // party 2 draws the very bytes party 1 drew, so its contribution is a copy of party 1's
        SessionId sid = SessionId.random(new SecureRandom());
        byte[] hash = new byte[32];
        var aborts = TamperingNetwork.run(List.of(SCHEME.sign(sid, twoOfThree.get(1), Set.of(1, 2), hash, new SeededRandom(5)),
                SCHEME.sign(sid, twoOfThree.get(2), Set.of(1, 2), hash, new SeededRandom(5))), 2, UnaryOperator.identity());
        assertThat(aborts.get(1).culprit()).hasValue(2);
        assertThat(aborts.get(1).getMessage()).contains("repeats this party's own");
    }

    @Test
    void twoPeersWithTheSameContributionAbortWithoutAGuess() {
        SessionId sid = SessionId.random(new SecureRandom());
        byte[] hash = new byte[32];
        Set<Integer> all = Set.of(1, 2, 3);
        ProtocolParty<Signature> p1 = SCHEME.sign(sid, threeOfThree.get(1), all, hash, new SecureRandom());
        ProtocolParty<Signature> p2 = SCHEME.sign(sid, threeOfThree.get(2), all, hash, new SeededRandom(8));
        ProtocolParty<Signature> p3 = SCHEME.sign(sid, threeOfThree.get(3), all, hash, new SeededRandom(8));
        p1.start();
        List<ProtocolMessage> in = new ArrayList<>(to(1, p2.start()));
        in.addAll(to(1, p3.start()));
        assertThatThrownBy(() -> p1.receive(in)).isInstanceOfSatisfying(ProtocolAbort.class, a -> {
            assertThat(a.culprit()).isEmpty();
            assertThat(a.getMessage()).contains("parties 2 and 3 sent the same session contribution");
        });
    }

    @Test
    void aMissingContributionIsBlamed() {
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        var aborts = TamperingNetwork.run(List.of(SCHEME.presign(sid, twoOfThree.get(1), Set.of(1, 2), rnd),
                SCHEME.presign(sid, twoOfThree.get(2), Set.of(1, 2), rnd)), 2, m -> m.round() == 1 && m.isBroadcast() ? null : m);
        assertThat(aborts.get(1).culprit()).hasValue(2);
        assertThat(aborts.get(1).getMessage()).contains("missing broadcast of round 1");
    }

    /** The zero-share terms party {@code sender} published in round 3 of a run, by peer. */
    private static Map<Integer, Secp256k1.Point> publishedTerms(List<ProtocolMessage> wire, int sender, Set<Integer> signers) {
        ProtocolMessage reveal = from(sender, 3, wire).stream().filter(ProtocolMessage::isBroadcast).findFirst().orElseThrow();
        List<Secp256k1.Point> terms = SignMessages.NonceReveal.decode(reveal.payload()).zeroTerms();
        Map<Integer, Secp256k1.Point> out = new TreeMap<>();
        int at = 0;
        for (int k : new java.util.TreeSet<>(signers)) if (k != sender) out.put(k, terms.get(at++));
        return out;
    }

    @Test
    void theZeroSharingIsFreshInEveryRunAndCancels() {
        SessionId sid = SessionId.random(new SecureRandom());
        Set<Integer> all = Set.of(1, 2, 3);
        List<Map<Integer, Map<Integer, Secp256k1.Point>>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            List<ProtocolMessage> wire = new ArrayList<>();
            List<ProtocolParty<Dkls23Presignature>> parties = new ArrayList<>();
            for (int i = 1; i <= 3; i++) parties.add(SCHEME.presign(sid, threeOfThree.get(i), all, new SecureRandom()));
            Map<Integer, Dkls23Presignature> pre = LocalNetwork.run(parties, m -> {
                wire.add(m);
                return m;
            });
            byte[] hash = new byte[32];
            List<Dkls23SignatureShare> parts = new ArrayList<>();
            pre.values().forEach(p -> parts.add(p.signatureShare(hash)));
            Dkls23CeremonyTest.assertValidEcdsa(threeOfThree.get(1).publicKey(), hash,
                    Dkls23Combiner.combine(threeOfThree.get(1).publicKey(), pre.get(1).instanceKey(), hash, all, parts));
            Map<Integer, Map<Integer, Secp256k1.Point>> terms = new TreeMap<>();
            for (int i = 1; i <= 3; i++) terms.put(i, publishedTerms(wire, i, all));
            for (int i = 1; i <= 3; i++) {
                for (int k = i + 1; k <= 3; k++) assertThat(terms.get(i).get(k).add(terms.get(k).get(i)).isIdentity()).isTrue();
            }
            runs.add(terms);
        }
        // the same session id, key and signers: yet every pair's term is new
        for (int i = 1; i <= 3; i++) {
            for (int k = 1; k <= 3; k++) if (k != i) assertThat(runs.get(1).get(i).get(k)).isNotEqualTo(runs.get(0).get(i).get(k));
        }
    }

    private static UnaryOperator<ProtocolMessage> editReveal(UnaryOperator<List<Secp256k1.Point>> edit) {
        return m -> {
            if (m.round() != 3 || !m.isBroadcast()) return m;
            var r = SignMessages.NonceReveal.decode(m.payload());
            return new ProtocolMessage(3, m.from(), m.to(), new SignMessages.NonceReveal(r.instanceKey(), r.salt(), edit.apply(r.zeroTerms())).encode());
        };
    }

    @Test
    void aZeroShareTermThatDoesNotMatchThePairsSeedsIsBlamed() {
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        // party 2's terms are listed for peers 1, 3: shift the one of its pair with party 1
        var aborts = TamperingNetwork.run(List.of(SCHEME.sign(sid, twoOfThree.get(1), Set.of(1, 2), new byte[32], rnd),
                SCHEME.sign(sid, twoOfThree.get(2), Set.of(1, 2), new byte[32], rnd)), 2,
                editReveal(t -> List.of(t.get(0).add(G.generator()))));
        assertThat(aborts.get(1).culprit()).hasValue(2);
        assertThat(aborts.get(1).getMessage()).contains("zero-share term");
    }

    @Test
    void aTamperedZeroSeedIsBlamedOnItsSender() {
        // party 1 receives another seed half than the one party 2 used: their pair terms differ
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        byte[] other = new byte[32];
        rnd.nextBytes(other);
        var aborts = TamperingNetwork.run(List.of(SCHEME.sign(sid, twoOfThree.get(1), Set.of(1, 2), new byte[32], rnd),
                SCHEME.sign(sid, twoOfThree.get(2), Set.of(1, 2), new byte[32], rnd)), 2,
                m -> m.round() == 1 && !m.isBroadcast() ? new ProtocolMessage(1, m.from(), m.to(), new SignMessages.ZeroSeed(other).encode()) : m);
        assertThat(aborts.get(1).culprit()).hasValue(2);
        assertThat(aborts.get(1).getMessage()).contains("zero-share term");
    }

    @Test
    void termsOfAPairOfOtherSignersThatDoNotCancelAreBlamedByThePairOnly() {
        // party 2 shifts its term for the pair (2, 3): party 3 holds that pair's seeds and names
        // party 2; party 1 only sees that the pair's terms do not cancel and cannot tell who lied
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        Set<Integer> all = Set.of(1, 2, 3);
        List<ProtocolParty<Signature>> parties = new ArrayList<>();
        for (int i = 1; i <= 3; i++) parties.add(SCHEME.sign(sid, threeOfThree.get(i), all, new byte[32], rnd));
        var aborts = TamperingNetwork.run(parties, 2, editReveal(t -> List.of(t.get(0), t.get(1).add(G.generator()))));
        assertThat(aborts.get(3).culprit()).hasValue(2);
        assertThat(aborts.get(3).getMessage()).contains("zero-share term");
        assertThat(aborts.get(1).culprit()).isEmpty();
        assertThat(aborts.get(1).getMessage()).contains("do not cancel");
    }

    @Test
    void aSignerWhoseKeyShareInputIsNotItsReRandomisedShareIsBlamed() {
        // party 2 publishes honest zero-share terms but feeds the multiplications another share:
        // Γ^v, checked against λ_2·X_2 + ζ_2·G, names it
        SecureRandom rnd = new SecureRandom();
        Dkls23KeyShare real = twoOfThree.get(2);
        Map<Integer, ExtensionSenderSeeds> send = new TreeMap<>();
        Map<Integer, ExtensionReceiverSeeds> recv = new TreeMap<>();
        for (int j : List.of(1, 3)) {
            send.put(j, real.senderSeeds(j));
            recv.put(j, real.receiverSeeds(j));
        }
        Dkls23KeyShare shifted = new Dkls23KeyShare(2, 2, 3, real.generation(), real.secret().add(BigInteger.TWO).mod(G.order()),
                real.publicKeyPoint(), real.publicShares(), send, recv);
        SessionId sid = SessionId.random(rnd);
        var aborts = TamperingNetwork.run(List.of(SCHEME.sign(sid, twoOfThree.get(1), Set.of(1, 2), new byte[32], rnd),
                SCHEME.sign(sid, shifted, Set.of(1, 2), new byte[32], rnd)), 2, UnaryOperator.identity());
        assertThat(aborts.get(1).culprit()).hasValue(2);
        assertThat(aborts.get(1).getMessage()).contains("public key share");
    }

    @Test
    void zeroSeedsNeverPrint() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        String hex = java.util.HexFormat.of().formatHex(seed).substring(0, 12);
        String text = new SignMessages.ZeroSeed(seed).toString();
        assertThat(text).contains("redacted").doesNotContain(hex);
        String outgoing = io.mpcsystem.tss.protocol.Transition.Outgoing.direct(Map.of(2, new SignMessages.ZeroSeed(seed).encode())).toString();
        assertThat(outgoing).doesNotContain(hex).doesNotContain("[B@").contains("direct to [2]");
    }
}
