package io.mpcsystem.tss.dkls23.ot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.testing.SeededRandom;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The OT extension on a hand-made base-OT setup: correlation, session binding, and results that never print a secret. */
class KosExtensionTest {
    private static final int OUTPUTS = 64;

    private record Setup(ExtensionReceiverSeeds receiver, ExtensionSenderSeeds sender, byte[] delta) {
    }

    /** What verified base OTs leave behind: the receiver holds both seeds, the sender the one its Δ bit chose. */
    private static Setup setup(SecureRandom rnd) {
        int k = KosExtension.KAPPA;
        byte[][] s0 = new byte[k][32];
        byte[][] s1 = new byte[k][32];
        byte[][] chosen = new byte[k][];
        byte[] delta = BaseOtReceiver.randomDelta(rnd);
        for (int j = 0; j < k; j++) {
            rnd.nextBytes(s0[j]);
            rnd.nextBytes(s1[j]);
            boolean bit = ((delta[j >>> 3] >>> (j & 7)) & 1) == 1;
            chosen[j] = (bit ? s1[j] : s0[j]).clone();
        }
        return new Setup(new ExtensionReceiverSeeds(s0, s1), new ExtensionSenderSeeds(delta.clone(), chosen), delta);
    }

    @Test
    void theRowsAreCorrelatedByDelta() {
        SecureRandom rnd = new SecureRandom();
        Setup s = setup(rnd);
        byte[] context = new byte[32];
        rnd.nextBytes(context);
        KosExtension.ReceiverResult r = KosExtension.receive(s.receiver(), context, OUTPUTS, rnd);
        KosExtension.SenderResult q = KosExtension.send(s.sender(), context, OUTPUTS, r.request(), 2);
        assertThat(q.extensionSession()).isEqualTo(r.extensionSession());
        for (int i = 0; i < OUTPUTS; i++) {
            long hi = q.rows()[i][0] ^ (r.choices()[i] ? q.deltaHi() : 0);
            long lo = q.rows()[i][1] ^ (r.choices()[i] ? q.deltaLo() : 0);
            assertThat(new long[] {hi, lo}).isEqualTo(r.rows()[i]);
        }
    }

    @Test
    void theSameRequestUnderAnotherContextIsRefused() {
        // the context carries the run session, which holds the sender's own fresh contribution: a
        // receiver that replays its request (same nonce) into another run gives the sender another
        // extension session, and the consistency check refuses it instead of expanding the same pads
        SecureRandom rnd = new SecureRandom();
        Setup s = setup(rnd);
        byte[] runA = new byte[32];
        byte[] runB = new byte[32];
        rnd.nextBytes(runA);
        rnd.nextBytes(runB);
        KosExtension.ReceiverResult r = KosExtension.receive(s.receiver(), runA, OUTPUTS, rnd);
        assertThat(KosExtension.send(s.sender(), runA, OUTPUTS, r.request(), 2).extensionSession()).isEqualTo(r.extensionSession());
        assertThatThrownBy(() -> KosExtension.send(s.sender(), runB, OUTPUTS, r.request(), 2))
                .isInstanceOfSatisfying(ProtocolAbort.class, a -> {
                    assertThat(a.culprit()).hasValue(2);
                    assertThat(a.pairwiseSetupBurned()).isTrue();
                });
        // and a receiver that honestly reruns with the same nonce under runB gets another session
        KosExtension.ReceiverResult again = KosExtension.receive(s.receiver(), runB, OUTPUTS, new SeededRandom(1));
        KosExtension.ReceiverResult first = KosExtension.receive(s.receiver(), runA, OUTPUTS, new SeededRandom(1));
        assertThat(again.request().nonce()).isEqualTo(first.request().nonce());
        assertThat(again.extensionSession()).isNotEqualTo(first.extensionSession());
    }

    @Test
    void resultsNeverPrintTheirSecrets() {
        SecureRandom rnd = new SecureRandom();
        Setup s = setup(rnd);
        byte[] context = new byte[32];
        rnd.nextBytes(context);
        KosExtension.ReceiverResult r = KosExtension.receive(s.receiver(), context, OUTPUTS, rnd);
        KosExtension.SenderResult q = KosExtension.send(s.sender(), context, OUTPUTS, r.request(), 2);
        String sender = q.toString();
        String receiver = r.toString();
        HexFormat hex = HexFormat.of();
        for (String text : new String[] {sender, receiver}) {
            assertThat(text).contains("redacted");
            assertThat(text).doesNotContain(hex.formatHex(q.extensionSession()).substring(0, 16));
            assertThat(text).doesNotContain(hex.formatHex(s.delta()).substring(0, 16));
            assertThat(text).doesNotContain(Long.toString(q.deltaHi())).doesNotContain(Long.toString(q.deltaLo()));
            assertThat(text).doesNotContain(Long.toHexString(q.deltaHi())).doesNotContain(Long.toHexString(q.deltaLo()));
            for (int i = 0; i < 4; i++) {
                assertThat(text).doesNotContain(Long.toString(q.rows()[i][0])).doesNotContain(Long.toString(r.rows()[i][1]));
            }
            assertThat(text).doesNotContain("true").doesNotContain("false").doesNotContain("[B@").doesNotContain("[[J@");
        }
        assertThat(s.sender().toString()).contains("redacted");
        assertThat(s.receiver().toString()).contains("redacted");
    }
}
