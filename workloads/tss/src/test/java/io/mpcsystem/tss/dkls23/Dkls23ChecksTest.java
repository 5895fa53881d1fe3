package io.mpcsystem.tss.dkls23;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.group.GroupElement;
import io.mpcsystem.tss.group.Secp256k1;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.ProtocolMessage;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.mpcsystem.tss.protocol.TamperingNetwork;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Well-formed but dishonest messages that only one specific check can catch: each test
 * re-encodes a valid message with one field replaced, so decoding and the OT checks pass and
 * the named check must do its job.
 */
class Dkls23ChecksTest {
    private static final Secp256k1 G = Secp256k1.INSTANCE;
    private static final int DISHONEST = 2;
    private static Map<Integer, Dkls23KeyShare> shares;

    @BeforeAll
    static void keys() {
        shares = Dkls23CeremonyTest.keygen(2, 3, new SecureRandom());
    }

    private static List<ProtocolParty<Signature>> signing() {
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        byte[] hash = new byte[32];
        rnd.nextBytes(hash);
        List<ProtocolParty<Signature>> parties = new ArrayList<>();
        for (int i : List.of(1, 2)) parties.add(Dkls23Scheme.INSTANCE.sign(sid, shares.get(i), Set.of(1, 2), hash, rnd));
        return parties;
    }

    private static void assertBlamed(Map<Integer, ProtocolAbort> aborts, String reason) {
        assertThat(aborts).containsKey(1);
        assertThat(aborts.get(1).culprit()).hasValue(DISHONEST);
        assertThat(aborts.get(1).getMessage()).contains(reason);
    }

    private static UnaryOperator<ProtocolMessage> replaceResponse(UnaryOperator<SignMessages.MultiplyResponse> edit) {
        return m -> {
            if (m.round() != 3 || m.isBroadcast()) return m;
            var r = edit.apply(SignMessages.MultiplyResponse.decode(m.payload()));
            return new ProtocolMessage(m.round(), m.from(), m.to(), r.encode());
        };
    }

    @Test
    void gammaUNotMatchingTheInstanceKeyIsBlamed() {
        GroupElement shift = G.multiplyBase(BigInteger.valueOf(5));
        var aborts = TamperingNetwork.run(signing(), DISHONEST, replaceResponse(r ->
                new SignMessages.MultiplyResponse(r.message(), r.gammaU().add(shift), r.gammaV(), r.psi())));
        assertBlamed(aborts, "instance key");
    }

    @Test
    void gammaVNotMatchingTheKeyShareIsBlamed() {
        GroupElement shift = G.multiplyBase(BigInteger.valueOf(5));
        var aborts = TamperingNetwork.run(signing(), DISHONEST, replaceResponse(r ->
                new SignMessages.MultiplyResponse(r.message(), r.gammaU(), r.gammaV().add(shift), r.psi())));
        assertBlamed(aborts, "public key share");
    }

    @Test
    void instanceKeyChangedAfterCommitmentIsBlamed() {
        var aborts = TamperingNetwork.run(signing(), DISHONEST, m -> {
            if (m.round() != 3 || !m.isBroadcast()) return m;
            var rev = SignMessages.NonceReveal.decode(m.payload());
            var changed = new SignMessages.NonceReveal(rev.instanceKey().add(G.generator()), rev.salt(), rev.zeroTerms());
            return new ProtocolMessage(3, m.from(), m.to(), changed.encode());
        });
        assertBlamed(aborts, "commitment");
    }

    @Test
    void keygenShareNotMatchingCommitmentsIsBlamed() {
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        List<ProtocolParty<Dkls23KeyShare>> parties = new ArrayList<>();
        for (int i = 1; i <= 3; i++) parties.add(Dkls23Scheme.INSTANCE.keygen(sid, i, 2, 3, rnd));
        var aborts = TamperingNetwork.run(parties, DISHONEST, m -> {
            if (m.round() != 2 || m.isBroadcast() || m.to() != 1) return m;
            var sc = KeygenMessages.ShareAndChoices.decode(m.payload());
            var bad = new KeygenMessages.ShareAndChoices(sc.share().add(BigInteger.ONE).mod(G.order()), sc.choices());
            return new ProtocolMessage(2, m.from(), m.to(), bad.encode());
        });
        assertBlamed(aborts, "Feldman");
    }

    @Test
    void keygenViewMisreportingItsOwnBroadcastsIsBlamed() {
        // party 2 confirms a view of its own broadcasts that differs from what it sent: its own
        // messages contradict each other, so every honest party can name it
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        List<ProtocolParty<Dkls23KeyShare>> parties = new ArrayList<>();
        for (int i = 1; i <= 3; i++) parties.add(Dkls23Scheme.INSTANCE.keygen(sid, i, 2, 3, rnd));
        var aborts = TamperingNetwork.run(parties, DISHONEST, m -> {
            if (m.round() != 3 || !m.isBroadcast()) return m;
            var v = KeygenMessages.ViewConfirmation.decode(m.payload());
            List<byte[]> digests = new ArrayList<>(v.digests());
            byte[] other = new byte[32];
            rnd.nextBytes(other);
            digests.set(DISHONEST - 1, other);
            return new ProtocolMessage(3, m.from(), m.to(), new KeygenMessages.ViewConfirmation(digests).encode());
        });
        assertThat(aborts).containsKeys(1, 3);
        assertThat(aborts.values()).allSatisfy(a -> {
            assertThat(a.culprit()).hasValue(DISHONEST);
            assertThat(a.getMessage()).contains("equivocation");
        });
    }

    /**
     * Runs a keygen in which party 3 equivocates: two instances of it, each a consistent dealer,
     * one talking to party 1 and one to party 2 (in round 3 onwards, {@code confirmationTo1} says
     * which instance's view confirmation party 1 gets). Returns the honest parties' aborts.
     */
    private static Map<Integer, ProtocolAbort> equivocatingDealer(boolean confirmationTo1FromOtherInstance) {
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        ProtocolParty<Dkls23KeyShare> p1 = Dkls23Scheme.INSTANCE.keygen(sid, 1, 2, 3, rnd);
        ProtocolParty<Dkls23KeyShare> p2 = Dkls23Scheme.INSTANCE.keygen(sid, 2, 2, 3, rnd);
        ProtocolParty<Dkls23KeyShare> towards1 = Dkls23Scheme.INSTANCE.keygen(sid, 3, 2, 3, rnd);
        ProtocolParty<Dkls23KeyShare> towards2 = Dkls23Scheme.INSTANCE.keygen(sid, 3, 2, 3, rnd);
        List<ProtocolMessage> out1 = p1.start();
        List<ProtocolMessage> out2 = p2.start();
        List<ProtocolMessage> outA = towards1.start();
        List<ProtocolMessage> outB = towards2.start();
        Map<Integer, ProtocolAbort> aborts = new java.util.TreeMap<>();
        for (int round = 1; aborts.isEmpty() && round <= 5; round++) {
            List<ProtocolMessage> to1 = new ArrayList<>(addressed(out2, 1));
            to1.addAll(addressed(round >= 3 && confirmationTo1FromOtherInstance ? outB : outA, 1));
            List<ProtocolMessage> to2 = new ArrayList<>(addressed(out1, 2));
            to2.addAll(addressed(outB, 2));
            List<ProtocolMessage> to3 = new ArrayList<>(addressed(out1, 3));
            to3.addAll(addressed(out2, 3));
            List<ProtocolMessage> next1 = step(p1, to1, 1, aborts);
            List<ProtocolMessage> next2 = step(p2, to2, 2, aborts);
            outA = step(towards1, to3, 0, aborts);
            outB = step(towards2, to3, 0, aborts);
            out1 = next1;
            out2 = next2;
        }
        return aborts;
    }

    private static List<ProtocolMessage> addressed(List<ProtocolMessage> msgs, int receiver) {
        return msgs.stream().filter(m -> m.isBroadcast() || m.to() == receiver).toList();
    }

    private static List<ProtocolMessage> step(ProtocolParty<Dkls23KeyShare> p, List<ProtocolMessage> in, int honest, Map<Integer, ProtocolAbort> aborts) {
        if (p.isFinished()) return List.of();
        try {
            var s = p.receive(in);
            return s instanceof io.mpcsystem.tss.protocol.Step.Continue<Dkls23KeyShare> c ? c.outbound() : List.of();
        } catch (ProtocolAbort a) {
            if (honest > 0) aborts.put(honest, a);
            return List.of();
        }
    }

    @Test
    void anEquivocatingDealerIsNotBlamedOnTheHonestPartyThatExposesIt() {
        // dealer 3 gives parties 1 and 2 two different, each self-consistent, dealings. Comparing
        // whole views, party 1 used to blame party 2, whose view differed from its own, though
        // party 2 was honest. Now nobody can prove who lied about dealer 3, so nobody is named
        var aborts = equivocatingDealer(false);
        assertThat(aborts).containsKeys(1, 2);
        assertThat(aborts.values()).allSatisfy(a -> {
            assertThat(a.culprit()).as(a.getMessage()).isEmpty();
            assertThat(a.getMessage()).contains("received different broadcasts from party 3");
        });
    }

    @Test
    void anEquivocatingDealerWhoseConfirmationContradictsItsDealingIsBlamed() {
        // dealer 3 sends party 1 the view confirmation of its other instance: its confirmation of
        // its own broadcasts contradicts the dealing it sent party 1, which names it
        var aborts = equivocatingDealer(true);
        assertThat(aborts.get(1).culprit()).hasValue(3);
        assertThat(aborts.get(1).getMessage()).contains("equivocation");
        assertThat(aborts.values()).allSatisfy(a -> assertThat(a.culprit().orElse(3)).isEqualTo(3));
    }

    @Test
    void refreshDealerWithNonZeroSecretIsBlamed() {
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        List<ProtocolParty<Dkls23KeyShare>> parties = new ArrayList<>();
        for (int i = 1; i <= 3; i++) parties.add(Dkls23Scheme.INSTANCE.refresh(sid, shares.get(i), rnd));
        // a refresh share f(1) + c for a constant c != 0 would shift the key; it cannot match the
        // zero-constant Feldman vector
        var aborts = TamperingNetwork.run(parties, DISHONEST, m -> {
            if (m.round() != 2 || m.isBroadcast() || m.to() != 1) return m;
            var sc = KeygenMessages.ShareAndChoices.decode(m.payload());
            var bad = new KeygenMessages.ShareAndChoices(sc.share().add(BigInteger.TEN).mod(G.order()), sc.choices());
            return new ProtocolMessage(2, m.from(), m.to(), bad.encode());
        });
        assertBlamed(aborts, "Feldman");
    }

    @Test
    void signingArgumentsAreValidated() {
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        Dkls23KeyShare s1 = shares.get(1);
        assertThatThrownBy(() -> Dkls23Scheme.INSTANCE.sign(sid, s1, Set.of(1, 2), new byte[31], rnd))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32-byte");
        assertThatThrownBy(() -> Dkls23Scheme.INSTANCE.sign(sid, s1, Set.of(2, 3), new byte[32], rnd))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must contain");
        assertThatThrownBy(() -> Dkls23Scheme.INSTANCE.sign(sid, s1, Set.of(1, 2, 3), new byte[32], rnd))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exactly 2");
        assertThatThrownBy(() -> Dkls23Scheme.INSTANCE.keygen(sid, 1, 4, 3, rnd)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Dkls23Scheme.INSTANCE.keygen(sid, 1, 0, 3, rnd)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSigningPartyIsSingleUse() {
        var parties = signing();
        ProtocolParty<Signature> p = parties.get(0);
        p.start();
        assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class);
        p.abandon();
        assertThatThrownBy(() -> p.receive(List.of())).isInstanceOf(IllegalStateException.class);
    }
}
