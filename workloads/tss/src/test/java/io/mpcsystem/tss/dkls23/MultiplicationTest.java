package io.mpcsystem.tss.dkls23;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcsystem.tss.dkls23.mult.MultiplicationReceiver;
import io.mpcsystem.tss.dkls23.mult.MultiplicationSender;
import io.mpcsystem.tss.dkls23.mult.SenderMessage;
import io.mpcsystem.tss.dkls23.ot.BaseOtMessages;
import io.mpcsystem.tss.dkls23.ot.BaseOtReceiver;
import io.mpcsystem.tss.dkls23.ot.BaseOtSender;
import io.mpcsystem.tss.dkls23.ot.ExtensionReceiverSeeds;
import io.mpcsystem.tss.dkls23.ot.ExtensionSenderSeeds;
import io.mpcsystem.tss.dkls23.ot.KosExtension;
import io.mpcsystem.tss.group.Secp256k1;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OT layer and the two-party multiplication on their own: correctness and each check. */
class MultiplicationTest {
    private static final Secp256k1 G = Secp256k1.INSTANCE;
    private static final BigInteger Q = G.order();
    private static final byte[] CONTEXT = "test-context-base-ot".getBytes();
    private static ExtensionSenderSeeds aliceSeeds;
    private static ExtensionReceiverSeeds bobSeeds;

    @BeforeAll
    static void baseOts() {
        SecureRandom rnd = new SecureRandom();
        // Bob (extension receiver, index 2) is the base-OT sender; Alice (index 1) chooses with Δ.
        BaseOtSender sender = BaseOtSender.start(CONTEXT, 1, rnd);
        var started = BaseOtReceiver.respond(CONTEXT, 2, sender.senderKey(rnd), BaseOtReceiver.randomDelta(rnd), rnd);
        var challenge = sender.challenge(started.choices());
        var response = started.receiver().answer(challenge);
        var openings = sender.verify(response);
        aliceSeeds = started.receiver().finish(openings);
        bobSeeds = sender.seeds();
    }

    @Test
    void sharesAddUpToChiTimesInputs() {
        SecureRandom rnd = new SecureRandom();
        for (int run = 0; run < 3; run++) {
            byte[] ctx = ("mult-" + run).getBytes();
            BigInteger a0 = G.randomScalar(rnd);
            BigInteger a1 = G.randomScalar(rnd);
            MultiplicationReceiver bob = MultiplicationReceiver.start(bobSeeds, ctx, rnd, 1);
            var alice = MultiplicationSender.respond(aliceSeeds, ctx, bob.request(), a0, a1, rnd, 2);
            BigInteger chi = bob.chi();
            BigInteger[] d = bob.finish(alice.message());
            assertThat(alice.shares()[0].add(d[0]).mod(Q)).isEqualTo(chi.multiply(a0).mod(Q));
            assertThat(alice.shares()[1].add(d[1]).mod(Q)).isEqualTo(chi.multiply(a1).mod(Q));
        }
    }

    @Test
    void inconsistentCorrectionIsCaughtByTheReceiver() {
        SecureRandom rnd = new SecureRandom();
        MultiplicationReceiver bob = MultiplicationReceiver.start(bobSeeds, CONTEXT, rnd, 1);
        var alice = MultiplicationSender.respond(aliceSeeds, CONTEXT, bob.request(), BigInteger.TWO, BigInteger.TEN, rnd, 2);
        SenderMessage m = alice.message();
        BigInteger[][] tau = m.corrections().clone();
        tau[5] = tau[5].clone();
        tau[5][0] = tau[5][0].add(BigInteger.ONE).mod(Q);
        SenderMessage tampered = new SenderMessage(tau, m.checkHash(), m.checkValues());
        assertThatThrownBy(() -> bob.finish(tampered)).isInstanceOf(ProtocolAbort.class)
                .satisfies(e -> {
                    assertThat(((ProtocolAbort) e).culprit()).hasValue(1);
                    assertThat(((ProtocolAbort) e).pairwiseSetupBurned()).isFalse();
                });
    }

    @Test
    void tamperedExtensionRequestIsCaughtBySender() {
        SecureRandom rnd = new SecureRandom();
        MultiplicationReceiver bob = MultiplicationReceiver.start(bobSeeds, CONTEXT, rnd, 1);
        KosExtension.Request r = bob.request();
        byte[][] cols = r.columns().clone();
        cols[7] = cols[7].clone();
        cols[7][3] ^= 0x10;
        var tampered = new KosExtension.Request(r.nonce(), cols, r.xHatHi(), r.xHatLo(), r.tHatHi(), r.tHatLo());
        assertThatThrownBy(() -> MultiplicationSender.respond(aliceSeeds, CONTEXT, tampered, BigInteger.ONE, BigInteger.ONE, rnd, 2))
                .isInstanceOf(ProtocolAbort.class).satisfies(e -> {
                    assertThat(((ProtocolAbort) e).culprit()).hasValue(2);
                    assertThat(((ProtocolAbort) e).pairwiseSetupBurned()).isTrue();
                });
    }

    @Test
    void baseOtVerificationCatchesBadResponseAndBadOpening() {
        SecureRandom rnd = new SecureRandom();
        BaseOtSender sender = BaseOtSender.start(CONTEXT, 1, rnd);
        var started = BaseOtReceiver.respond(CONTEXT, 2, sender.senderKey(rnd), BaseOtReceiver.randomDelta(rnd), rnd);
        var challenge = sender.challenge(started.choices());
        var response = started.receiver().answer(challenge);
        List<byte[]> bad = new ArrayList<>(response.values());
        bad.set(9, new byte[32]);
        assertThatThrownBy(() -> sender.verify(new BaseOtMessages.Digests(bad)))
                .isInstanceOf(ProtocolAbort.class).satisfies(e -> assertThat(((ProtocolAbort) e).culprit()).hasValue(1));
        var openings = sender.verify(response);
        List<byte[]> badOpen = new ArrayList<>(openings.first().values());
        badOpen.set(3, new byte[32]);
        var tampered = new BaseOtMessages.Openings(new BaseOtMessages.Digests(badOpen), openings.second());
        assertThatThrownBy(() -> started.receiver().finish(tampered))
                .isInstanceOf(ProtocolAbort.class).satisfies(e -> assertThat(((ProtocolAbort) e).culprit()).hasValue(2));
    }

    @Test
    void forgedSenderKeyProofIsRejected() {
        SecureRandom rnd = new SecureRandom();
        BaseOtSender sender = BaseOtSender.start(CONTEXT, 1, rnd);
        var key = sender.senderKey(rnd);
        var forged = new BaseOtMessages.SenderKey(G.multiplyBase(BigInteger.valueOf(7)), key.proof());
        assertThatThrownBy(() -> BaseOtReceiver.respond(CONTEXT, 2, forged, BaseOtReceiver.randomDelta(rnd), rnd))
                .isInstanceOf(ProtocolAbort.class).satisfies(e -> assertThat(((ProtocolAbort) e).culprit()).hasValue(2));
    }
}
