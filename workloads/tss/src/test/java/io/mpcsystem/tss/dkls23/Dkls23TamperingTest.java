package io.mpcsystem.tss.dkls23;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.ProtocolMessage;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.mpcsystem.tss.protocol.TamperingNetwork;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A dishonest party alters one of its messages (one bit, at seeded random positions) in every
 * round, broadcast and direct: the honest parties must abort and name it.
 */
class Dkls23TamperingTest {
    private static final int DISHONEST = 2;
    private static Map<Integer, Dkls23KeyShare> shares;

    @BeforeAll
    static void keys() {
        shares = Dkls23CeremonyTest.keygen(2, 3, new SecureRandom());
    }

    private static UnaryOperator<ProtocolMessage> flipIn(int round, boolean broadcast, int position) {
        return m -> m.round() == round && m.isBroadcast() == broadcast && (broadcast || m.to() == 1) ? TamperingNetwork.flipBit(m, position) : m;
    }

    private static void assertAllHonestAbortsBlame(Map<Integer, ProtocolAbort> aborts, String what) {
        assertThat(aborts).as("an honest party aborts when %s is altered", what).isNotEmpty();
        assertThat(aborts.values()).allSatisfy(a -> assertThat(a.culprit()).as(a.getMessage()).hasValue(DISHONEST));
    }

    @ParameterizedTest(name = "keygen round {0}, broadcast={1}")
    @CsvSource({"1,true", "1,false", "2,true", "2,false", "3,true", "3,false", "4,false", "5,false"})
    void keygenTamperingIsAttributed(int round, boolean broadcast) {
        Random positions = new Random(1000L * round + (broadcast ? 1 : 0));
        for (int trial = 0; trial < 3; trial++) {
            SecureRandom rnd = new SecureRandom();
            SessionId sid = SessionId.random(rnd);
            List<ProtocolParty<Dkls23KeyShare>> parties = new ArrayList<>();
            for (int i = 1; i <= 3; i++) parties.add(Dkls23Scheme.INSTANCE.keygen(sid, i, 2, 3, rnd));
            var aborts = TamperingNetwork.run(parties, DISHONEST, flipIn(round, broadcast, positions.nextInt(1 << 20)));
            if (round == 3 && broadcast) {
                // a view confirmation misreporting dealer k's broadcasts: k names the liar; a
                // third party cannot tell the liar from an equivocating k, so it names nobody
                assertThat(aborts).as("an honest party aborts when the view confirmation is altered").isNotEmpty();
                assertThat(aborts.values()).allSatisfy(a -> assertThat(a.culprit().orElse(DISHONEST)).as(a.getMessage()).isEqualTo(DISHONEST));
                assertThat(aborts.values()).anySatisfy(a -> assertThat(a.culprit()).as(a.getMessage()).hasValue(DISHONEST));
            } else {
                assertAllHonestAbortsBlame(aborts, "keygen round " + round);
            }
        }
    }

    @ParameterizedTest(name = "sign round {0}, broadcast={1}")
    @CsvSource({"1,true", "1,false", "2,true", "2,false", "3,true", "3,false"})
    void signingTamperingIsAttributed(int round, boolean broadcast) {
        Random positions = new Random(2000L * round + (broadcast ? 1 : 0));
        for (int trial = 0; trial < 4; trial++) {
            var aborts = TamperingNetwork.run(signers(Set.of(1, 2)), DISHONEST, flipIn(round, broadcast, positions.nextInt(1 << 20)));
            assertAllHonestAbortsBlame(aborts, "signing round " + round);
        }
    }

    @Test
    void wrongFinalSignatureShareIsRejected() {
        // DKLs23's last round has no proof attached: a wrong (u, w) is caught by verifying the
        // signature, which cannot tell which signer lied. The run must still fail, never output.
        var aborts = TamperingNetwork.run(signers(Set.of(1, 2)), DISHONEST, flipIn(4, true, 40));
        assertThat(aborts).containsKey(1);
        assertThat(aborts.get(1).culprit()).isEmpty();
        assertThat(aborts.get(1).getMessage()).contains("does not verify");
    }

    @Test
    void untouchedRunSucceedsUnderTheSameHarness() {
        var aborts = TamperingNetwork.run(signers(Set.of(1, 3)), DISHONEST, UnaryOperator.identity());
        assertThat(aborts).isEmpty();
    }

    @Test
    void droppedMessageBlamesTheSilentParty() {
        var aborts = TamperingNetwork.run(signers(Set.of(1, 2)), DISHONEST, m -> m.round() == 3 && !m.isBroadcast() ? null : m);
        assertAllHonestAbortsBlame(aborts, "a dropped message");
    }

    /**
     * Signer 3 of three shows signers 1 and 2 different round-1 contributions (two instances of
     * it, each consistent with itself). Both honest signers must stop at the run-session echo,
     * before their multiplication with each other, and blame no one: before the echo each failed
     * the other's OT-extension check and quarantined an honest peer.
     */
    @Test
    void aSignerEquivocatingInRoundOneIsStoppedByTheEchoAndNoHonestSignerIsBlamed() {
        SecureRandom rnd = new SecureRandom();
        Map<Integer, Dkls23KeyShare> keys = Dkls23CeremonyTest.keygen(3, 4, rnd);
        Set<Integer> set = Set.of(1, 2, 3);
        SessionId sid = SessionId.random(rnd);
        byte[] hash = new byte[32];
        rnd.nextBytes(hash);
        ProtocolParty<Signature> p1 = Dkls23Scheme.INSTANCE.sign(sid, keys.get(1), set, hash, rnd);
        ProtocolParty<Signature> p2 = Dkls23Scheme.INSTANCE.sign(sid, keys.get(2), set, hash, rnd);
        ProtocolParty<Signature> toward1 = Dkls23Scheme.INSTANCE.sign(sid, keys.get(3), set, hash, rnd);
        ProtocolParty<Signature> toward2 = Dkls23Scheme.INSTANCE.sign(sid, keys.get(3), set, hash, rnd);
        List<ProtocolMessage> r1From1 = p1.start();
        List<ProtocolMessage> r1From2 = p2.start();
        List<ProtocolMessage> r1Toward1 = toward1.start();
        List<ProtocolMessage> r1Toward2 = toward2.start();
        var r2From1 = continued(p1.receive(inboxOf(1, r1From2, r1Toward1)));
        var r2From2 = continued(p2.receive(inboxOf(2, r1From1, r1Toward2)));
        var r2Toward1 = continued(toward1.receive(inboxOf(3, r1From1, r1From2)));
        var r2Toward2 = continued(toward2.receive(inboxOf(3, r1From1, r1From2)));
        assertStopsBlamingNoOne(p1, inboxOf(1, r2From2, r2Toward1));
        assertStopsBlamingNoOne(p2, inboxOf(2, r2From1, r2Toward2));
    }

    private static void assertStopsBlamingNoOne(ProtocolParty<Signature> honest, List<ProtocolMessage> round2) {
        ProtocolAbort abort = org.junit.jupiter.api.Assertions.assertThrows(ProtocolAbort.class, () -> honest.receive(round2));
        assertThat(abort.culprit()).as(abort.getMessage()).isEmpty();
        assertThat(abort.pairwiseSetupBurned()).as(abort.getMessage()).isFalse();
        assertThat(abort.getMessage()).contains("another run session").contains("no one is blamed");
    }

    private static List<ProtocolMessage> continued(io.mpcsystem.tss.protocol.Step<Signature> step) {
        return ((io.mpcsystem.tss.protocol.Step.Continue<Signature>) step).outbound();
    }

    /** What {@code receiver} gets of the given senders' messages: their broadcasts and what they addressed to it. */
    @SafeVarargs
    private static List<ProtocolMessage> inboxOf(int receiver, List<ProtocolMessage>... from) {
        List<ProtocolMessage> out = new ArrayList<>();
        for (List<ProtocolMessage> ms : from) for (ProtocolMessage m : ms) if (m.isBroadcast() || m.to() == receiver) out.add(m);
        return out;
    }

    private static List<ProtocolParty<Signature>> signers(Set<Integer> set) {
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        byte[] hash = new byte[32];
        rnd.nextBytes(hash);
        List<ProtocolParty<Signature>> parties = new ArrayList<>();
        for (int i : new java.util.TreeSet<>(set)) parties.add(Dkls23Scheme.INSTANCE.sign(sid, shares.get(i), set, hash, rnd));
        return parties;
    }
}
