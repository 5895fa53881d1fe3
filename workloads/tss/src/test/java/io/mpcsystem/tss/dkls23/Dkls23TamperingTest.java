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
