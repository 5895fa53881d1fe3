package io.mpcsystem.tss.frost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.ProtocolMessage;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.mpcsystem.tss.protocol.Step;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A party that tampers with any of its messages is named as the culprit. */
class FrostTamperTest {
    static final byte[] MESSAGE = "tamper test".getBytes(StandardCharsets.UTF_8);
    static final int HEADER = 3;

    static FrostScheme scheme(FrostCiphersuite suite) {
        return FrostCeremonyTest.scheme(suite);
    }

    static void assertCulprit(Runnable run, int culprit) {
        assertThatThrownBy(run::run).isInstanceOfSatisfying(ProtocolAbort.class, a -> assertThat(a.culprit()).hasValue(culprit));
    }

    @ParameterizedTest
    @EnumSource(FrostCiphersuite.class)
    void dkgCommitmentTampered(FrostCiphersuite suite) {
        SecureRandom random = FrostTestRuns.seeded(1);
        // inside the first coefficient commitment (after header and count)
        assertCulprit(() -> FrostTestRuns.keygen(scheme(suite), 2, 3, random, FrostTestRuns.flipBitAt(1, 2, 0, HEADER + 2 + 10)), 2);
        // a commitment that still decodes but no longer matches the proof / shares
        UnaryOperator<ProtocolMessage> swapHigher = m -> {
            if (m.round() != 1 || m.from() != 3) return m;
            byte[] p = m.payload();
            int len = suite.group().elementLength();
            byte[] other = suite.group().multiplyBase(java.math.BigInteger.valueOf(7)).encode();
            System.arraycopy(other, 0, p, HEADER + 2 + len, len);
            return new ProtocolMessage(m.round(), m.from(), m.to(), p);
        };
        assertCulprit(() -> FrostTestRuns.keygen(scheme(suite), 2, 3, random, swapHigher), 3);
    }

    @ParameterizedTest
    @EnumSource(FrostCiphersuite.class)
    void dkgProofTampered(FrostCiphersuite suite) {
        SecureRandom random = FrostTestRuns.seeded(2);
        int scalarLen = suite.group().scalarLength();
        // proof commitment, then the proof response (byte 0 of the response is least significant for Ed25519)
        assertCulprit(() -> FrostTestRuns.keygen(scheme(suite), 3, 5, random, FrostTestRuns.flipBit(1, 4, 0, scalarLen + 5)), 4);
        int responseLow = suite == FrostCiphersuite.ED25519 ? scalarLen - 1 : 0;
        assertCulprit(() -> FrostTestRuns.keygen(scheme(suite), 3, 5, random, FrostTestRuns.flipBit(1, 4, 0, responseLow)), 4);
    }

    @ParameterizedTest
    @EnumSource(FrostCiphersuite.class)
    void dkgShareTampered(FrostCiphersuite suite) {
        SecureRandom random = FrostTestRuns.seeded(3);
        int low = suite == FrostCiphersuite.ED25519 ? suite.group().scalarLength() - 1 : 0;
        assertCulprit(() -> FrostTestRuns.keygen(scheme(suite), 2, 3, random, FrostTestRuns.flipBit(2, 3, 1, low)), 3);
        // a share that is not even a canonical scalar
        UnaryOperator<ProtocolMessage> overflow = m -> {
            if (m.round() != 2 || m.from() != 2 || m.to() != 3) return m;
            byte[] p = m.payload();
            java.util.Arrays.fill(p, HEADER, p.length, (byte) 0xFF);
            return new ProtocolMessage(m.round(), m.from(), m.to(), p);
        };
        assertCulprit(() -> FrostTestRuns.keygen(scheme(suite), 2, 3, random, overflow), 2);
    }

    @ParameterizedTest
    @EnumSource(FrostCiphersuite.class)
    void dkgEchoTampered(FrostCiphersuite suite) {
        SecureRandom random = FrostTestRuns.seeded(4);
        // party 2 misreports its own round-one broadcast
        assertCulprit(() -> FrostTestRuns.keygen(scheme(suite), 2, 3, random, FrostTestRuns.flipBitAt(3, 2, 0, HEADER + 32 + 7)), 2);
        // party 3 misreports party 1's broadcast: party 1 knows its own broadcast, so it blames 3
        assertCulprit(() -> FrostTestRuns.keygen(scheme(suite), 2, 3, random, FrostTestRuns.flipBitAt(3, 3, 0, HEADER + 7)), 3);
        // truncated echo
        UnaryOperator<ProtocolMessage> truncate = m -> m.round() == 3 && m.from() == 2
                ? new ProtocolMessage(3, 2, 0, java.util.Arrays.copyOf(m.payload(), m.payload().length - 1)) : m;
        assertCulprit(() -> FrostTestRuns.keygen(scheme(suite), 2, 3, random, truncate), 2);
    }

    @ParameterizedTest
    @EnumSource(FrostCiphersuite.class)
    void refreshMessagesTampered(FrostCiphersuite suite) {
        SecureRandom random = FrostTestRuns.seeded(5);
        Map<Integer, FrostKeyShare> shares = FrostTestRuns.keygen(scheme(suite), 3, 4, random);
        // key fingerprint
        assertCulprit(() -> FrostTestRuns.refresh(scheme(suite), shares.values(), random, FrostTestRuns.flipBitAt(1, 2, 0, HEADER + 4)), 2);
        // a higher-degree commitment: decodes badly or no longer matches the shares
        assertCulprit(() -> FrostTestRuns.refresh(scheme(suite), shares.values(), random, FrostTestRuns.flipBitAt(1, 3, 0, HEADER + 32 + 2 + 9)), 3);
        int low = suite == FrostCiphersuite.ED25519 ? suite.group().scalarLength() - 1 : 0;
        assertCulprit(() -> FrostTestRuns.refresh(scheme(suite), shares.values(), random, FrostTestRuns.flipBit(2, 4, 1, low)), 4);
        assertCulprit(() -> FrostTestRuns.refresh(scheme(suite), shares.values(), random, FrostTestRuns.flipBitAt(3, 2, 0, HEADER + 32 + 1)), 2);
    }

    @ParameterizedTest
    @EnumSource(FrostCiphersuite.class)
    void signingMessagesTampered(FrostCiphersuite suite) {
        SecureRandom random = FrostTestRuns.seeded(6);
        Map<Integer, FrostKeyShare> shares = FrostTestRuns.keygen(scheme(suite), 3, 5, random);
        List<FrostKeyShare> signers = List.of(shares.get(1), shares.get(3), shares.get(4));
        int len = suite.group().elementLength();
        // hiding commitment, binding commitment
        assertCulprit(() -> FrostTestRuns.sign(scheme(suite), signers, MESSAGE, random, FrostTestRuns.flipBitAt(1, 3, 0, HEADER + 5)), 3);
        assertCulprit(() -> FrostTestRuns.sign(scheme(suite), signers, MESSAGE, random, FrostTestRuns.flipBitAt(1, 4, 0, HEADER + len + 5)), 4);
        // a valid but different commitment point
        UnaryOperator<ProtocolMessage> replace = m -> {
            if (m.round() != 1 || m.from() != 3) return m;
            byte[] p = m.payload();
            System.arraycopy(suite.group().multiplyBase(java.math.BigInteger.TEN).encode(), 0, p, HEADER + len, len);
            return new ProtocolMessage(m.round(), m.from(), m.to(), p);
        };
        assertCulprit(() -> FrostTestRuns.sign(scheme(suite), signers, MESSAGE, random, replace), 3);
        // signature share
        int low = suite == FrostCiphersuite.ED25519 ? suite.group().scalarLength() - 1 : 0;
        assertCulprit(() -> FrostTestRuns.sign(scheme(suite), signers, MESSAGE, random, FrostTestRuns.flipBit(2, 4, 0, low)), 4);
        assertCulprit(() -> FrostTestRuns.sign(scheme(suite), signers, MESSAGE, random, FrostTestRuns.flipBit(2, 3, 0, 20)), 3);
    }

    /** A proof of knowledge is bound to session and party index: replaying another run's or party's broadcast fails. */
    @ParameterizedTest
    @EnumSource(FrostCiphersuite.class)
    void dkgProofReplayIsRejected(FrostCiphersuite suite) {
        SecureRandom random = FrostTestRuns.seeded(8);
        FrostScheme scheme = scheme(suite);
        byte[] otherSession = scheme.keygen(SessionId.random(random), 2, 2, 3, random).start().get(0).payload();
        assertCulprit(() -> FrostTestRuns.keygen(scheme, 2, 3, random,
                m -> m.round() == 1 && m.from() == 2 ? new ProtocolMessage(1, 2, 0, otherSession) : m), 2);
        SessionId sid = SessionId.random(random);
        List<ProtocolParty<FrostKeyShare>> parties = new ArrayList<>();
        for (int i = 1; i <= 3; i++) parties.add(scheme.keygen(sid, i, 2, 3, random));
        byte[] asThree = scheme.keygen(sid, 3, 2, 3, random).start().get(0).payload();
        assertCulprit(() -> io.mpcsystem.tss.protocol.LocalNetwork.run(parties,
                m -> m.round() == 1 && m.from() == 2 ? new ProtocolMessage(1, 2, 0, asThree) : m), 2);
    }

    /**
     * Party 2 sends party 3 a different (self-consistent) set of commitments and shares than party 1.
     * Only the echo round can notice: party 3 sees party 2 disown what it received; party 1 only
     * sees 2 and 3 disagree.
     */
    @ParameterizedTest
    @EnumSource(FrostCiphersuite.class)
    void dkgEquivocationIsDetectedByTheEcho(FrostCiphersuite suite) {
        SecureRandom random = FrostTestRuns.seeded(7);
        FrostScheme scheme = scheme(suite);
        SessionId sid = SessionId.random(random);
        ProtocolParty<FrostKeyShare> p1 = scheme.keygen(sid, 1, 2, 3, random);
        ProtocolParty<FrostKeyShare> p2 = scheme.keygen(sid, 2, 2, 3, random);
        ProtocolParty<FrostKeyShare> p3 = scheme.keygen(sid, 3, 2, 3, random);
        ProtocolParty<FrostKeyShare> twin = scheme.keygen(sid, 2, 2, 3, random);
        List<ProtocolMessage> r1 = new ArrayList<>();
        r1.addAll(p1.start());
        r1.addAll(p2.start());
        r1.addAll(p3.start());
        List<ProtocolMessage> twinR1 = twin.start();

        List<ProtocolMessage> r2 = new ArrayList<>();
        r2.addAll(outbound(p1.receive(from(r1, 2, 3))));
        r2.addAll(outbound(p2.receive(from(r1, 1, 3))));
        List<ProtocolMessage> forThree = new ArrayList<>(from(r1, 1));
        forThree.addAll(twinR1);
        r2.addAll(outbound(p3.receive(forThree)));
        List<ProtocolMessage> twinR2 = outbound(twin.receive(from(r1, 1, 3)));

        List<ProtocolMessage> r3 = new ArrayList<>();
        r3.addAll(outbound(p1.receive(to(r2, 1))));
        r3.addAll(outbound(p2.receive(to(r2, 2))));
        List<ProtocolMessage> threeGets = new ArrayList<>(to(from(r2, 1), 3));
        threeGets.addAll(to(twinR2, 3));
        r3.addAll(outbound(p3.receive(threeGets)));

        assertThatThrownBy(() -> p3.receive(from(r3, 1, 2)))
                .isInstanceOfSatisfying(ProtocolAbort.class, a -> assertThat(a.culprit()).hasValue(2));
        assertThatThrownBy(() -> p1.receive(from(r3, 2, 3)))
                .isInstanceOfSatisfying(ProtocolAbort.class, a -> {
                    assertThat(a.culprit()).isEmpty();
                    assertThat(a.getMessage()).contains("party 2 equivocated");
                });
    }

    static List<ProtocolMessage> outbound(Step<FrostKeyShare> step) {
        return ((Step.Continue<FrostKeyShare>) step).outbound();
    }

    static List<ProtocolMessage> from(List<ProtocolMessage> ms, Integer... senders) {
        List<Integer> s = List.of(senders);
        return ms.stream().filter(m -> s.contains(m.from())).toList();
    }

    static List<ProtocolMessage> to(List<ProtocolMessage> ms, int receiver) {
        return ms.stream().filter(m -> m.isBroadcast() || m.to() == receiver).filter(m -> m.from() != receiver).toList();
    }
}
