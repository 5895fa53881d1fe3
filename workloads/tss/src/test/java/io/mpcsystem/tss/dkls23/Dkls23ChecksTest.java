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
    void keygenViewMismatchIsBlamed() {
        // a dealer who sent different (each self-consistent) vectors to different parties leaves
        // them with different views; the view hashes of round 3 expose it. Here party 2 reports a
        // view that differs from everybody else's.
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        List<ProtocolParty<Dkls23KeyShare>> parties = new ArrayList<>();
        for (int i = 1; i <= 3; i++) parties.add(Dkls23Scheme.INSTANCE.keygen(sid, i, 2, 3, rnd));
        var aborts = TamperingNetwork.run(parties, DISHONEST, m -> {
            if (m.round() != 3 || !m.isBroadcast()) return m;
            byte[] digest = new byte[32];
            rnd.nextBytes(digest);
            return new ProtocolMessage(3, m.from(), m.to(), new KeygenMessages.ViewConfirmation(digest).encode());
        });
        assertBlamed(aborts, "equivocation");
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
