package io.mpcsystem.tss.dkls23;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.encoding.MalformedEncodingException;
import io.mpcsystem.tss.protocol.LocalNetwork;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.ProtocolMessage;
import io.mpcsystem.tss.protocol.ProtocolParty;
import io.mpcsystem.tss.protocol.TamperingNetwork;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Presignatures: the two message-free rounds ahead of time, then one share per signer and a combination anyone can do. */
class Dkls23PresignTest {
    private static final Dkls23Scheme SCHEME = Dkls23Scheme.INSTANCE;
    private static Map<Integer, Dkls23KeyShare> shares;
    private static byte[] pk;

    @BeforeAll
    static void keys() {
        shares = Dkls23CeremonyTest.keygen(2, 3, new SecureRandom());
        pk = shares.get(1).publicKey();
    }

    static List<ProtocolParty<Dkls23Presignature>> presigners(Map<Integer, Dkls23KeyShare> shares, Set<Integer> signers, SessionId sid, SecureRandom rnd) {
        List<ProtocolParty<Dkls23Presignature>> parties = new ArrayList<>();
        for (int i : signers) parties.add(SCHEME.presign(sid, shares.get(i), signers, rnd));
        return parties;
    }

    static Map<Integer, Dkls23Presignature> presign(Map<Integer, Dkls23KeyShare> shares, Set<Integer> signers, SecureRandom rnd) {
        return LocalNetwork.run(presigners(shares, signers, SessionId.random(rnd), rnd));
    }

    private static Signature finish(Map<Integer, Dkls23Presignature> pre, byte[] hash) {
        List<Dkls23SignatureShare> parts = new ArrayList<>();
        pre.values().forEach(p -> parts.add(p.signatureShare(hash)));
        Dkls23Presignature any = pre.values().iterator().next();
        return Dkls23Combiner.combine(pk, any.instanceKey(), hash, any.signers(), parts);
    }

    @ParameterizedTest(name = "signers {0},{1}")
    @CsvSource({"1,2", "1,3", "2,3"})
    void everySignerPairPresignsThenSignsInOneStep(int a, int b) throws Exception {
        SecureRandom rnd = new SecureRandom();
        Map<Integer, Dkls23Presignature> pre = presign(shares, Set.of(a, b), rnd);
        assertThat(pre.get(a).instanceKey()).isEqualTo(pre.get(b).instanceKey());
        assertThat(pre.get(a).session()).isEqualTo(pre.get(b).session());
        byte[] hash = Dkls23CeremonyTest.sha256("presigned " + a + b);
        Dkls23CeremonyTest.assertValidEcdsa(pk, hash, finish(pre, hash));
    }

    @Test
    void thePresignatureSurvivesItsStoredEncoding() throws Exception {
        SecureRandom rnd = new SecureRandom();
        Map<Integer, Dkls23Presignature> pre = presign(shares, Set.of(1, 3), rnd);
        Map<Integer, Dkls23Presignature> reloaded = new TreeMap<>();
        pre.forEach((i, p) -> reloaded.put(i, Dkls23Presignature.decode(p.encode())));
        assertThat(reloaded.get(3).signers()).containsExactly(1, 3);
        assertThat(reloaded.get(3).index()).isEqualTo(3);
        assertThat(reloaded.get(3).publicKey()).isEqualTo(pk);
        byte[] hash = Dkls23CeremonyTest.sha256("after a restart");
        Dkls23CeremonyTest.assertValidEcdsa(pk, hash, finish(reloaded, hash));
    }

    @Test
    void aPresignatureSignsOnceAndIsThenWiped() throws Exception {
        Map<Integer, Dkls23Presignature> pre = presign(shares, Set.of(1, 2), new SecureRandom());
        Dkls23Presignature p = pre.get(1);
        p.signatureShare(Dkls23CeremonyTest.sha256("first"));
        assertThatThrownBy(() -> p.signatureShare(Dkls23CeremonyTest.sha256("second"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(p::encode).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void secretsNeverShowInToString() {
        Dkls23Presignature p = presign(shares, Set.of(1, 2), new SecureRandom()).get(1);
        byte[] enc = p.encode();
        // u, v and φ are the last three scalars of the encoding
        String hex = HexFormat.of().formatHex(enc, enc.length - 96, enc.length);
        String text = p.toString();
        for (int i = 0; i < 3; i++) assertThat(text).doesNotContain(hex.substring(i * 64, i * 64 + 16));
        assertThat(text).contains("redacted");
    }

    @Test
    void aTamperedShareMakesTheCombinationFail() throws Exception {
        Map<Integer, Dkls23Presignature> pre = presign(shares, Set.of(1, 2), new SecureRandom());
        byte[] hash = Dkls23CeremonyTest.sha256("tampered");
        Dkls23SignatureShare honest = pre.get(1).signatureShare(hash);
        Dkls23SignatureShare bad = pre.get(2).signatureShare(hash);
        Dkls23SignatureShare forged = new Dkls23SignatureShare(2, bad.u(), bad.w().add(BigInteger.ONE));
        assertThatThrownBy(() -> Dkls23Combiner.combine(pk, pre.get(1).instanceKey(), hash, Set.of(1, 2), List.of(honest, forged)))
                .isInstanceOf(ProtocolAbort.class).hasMessageContaining("does not verify");
        // the untampered pair does combine: the failure above is the tampering, not the harness
        Dkls23CeremonyTest.assertValidEcdsa(pk, hash, Dkls23Combiner.combine(pk, pre.get(1).instanceKey(), hash, Set.of(1, 2), List.of(honest, bad)));
    }

    @Test
    void sharesOfDifferentMessagesOrPresignaturesDoNotCombine() throws Exception {
        SecureRandom rnd = new SecureRandom();
        Map<Integer, Dkls23Presignature> one = presign(shares, Set.of(1, 2), rnd);
        Map<Integer, Dkls23Presignature> two = presign(shares, Set.of(1, 2), rnd);
        byte[] m1 = Dkls23CeremonyTest.sha256("m1");
        byte[] m2 = Dkls23CeremonyTest.sha256("m2");
        // a coordinator that asks the two signers to sign different messages gets nothing valid
        assertThatThrownBy(() -> Dkls23Combiner.combine(pk, one.get(1).instanceKey(), m1, Set.of(1, 2),
                List.of(one.get(1).signatureShare(m1), one.get(2).signatureShare(m2)))).isInstanceOf(ProtocolAbort.class);
        // nor does mixing two presignatures
        assertThatThrownBy(() -> Dkls23Combiner.combine(pk, two.get(1).instanceKey(), m1, Set.of(1, 2),
                List.of(two.get(1).signatureShare(m1), presign(shares, Set.of(1, 2), rnd).get(2).signatureShare(m1)))).isInstanceOf(ProtocolAbort.class);
    }

    @Test
    void theCombinerWantsExactlyOneShareFromEachSigner() throws Exception {
        Map<Integer, Dkls23Presignature> pre = presign(shares, Set.of(1, 2), new SecureRandom());
        byte[] hash = Dkls23CeremonyTest.sha256("counted");
        Dkls23SignatureShare s1 = pre.get(1).signatureShare(hash);
        byte[] r = pre.get(1).instanceKey();
        assertThatThrownBy(() -> Dkls23Combiner.combine(pk, r, hash, Set.of(1, 2), List.of(s1))).hasMessageContaining("expected [1, 2]");
        assertThatThrownBy(() -> Dkls23Combiner.combine(pk, r, hash, Set.of(1, 2), List.of(s1, s1))).hasMessageContaining("two signature shares");
        assertThatThrownBy(() -> Dkls23Combiner.combine(pk, r, hash, Set.of(1, 2), List.of(s1, new Dkls23SignatureShare(3, s1.u(), s1.w()))))
                .hasMessageContaining("not a signer");
    }

    @ParameterizedTest(name = "presign round {0}, broadcast={1}")
    @CsvSource({"1,true", "1,false", "2,true", "2,false", "3,true", "3,false"})
    void tamperingDuringPresigningIsAttributed(int round, boolean broadcast) {
        Random positions = new Random(3000L * round + (broadcast ? 1 : 0));
        for (int trial = 0; trial < 3; trial++) {
            SecureRandom rnd = new SecureRandom();
            int position = positions.nextInt(1 << 20);
            var aborts = TamperingNetwork.run(presigners(shares, Set.of(1, 2), SessionId.random(rnd), rnd), 2,
                    m -> m.round() == round && m.isBroadcast() == broadcast && (broadcast || m.to() == 1) ? TamperingNetwork.flipBit(m, position) : m);
            assertThat(aborts).as("party 1 aborts when round %d is altered", round).containsKey(1);
            assertThat(aborts.get(1).culprit()).as(aborts.get(1).getMessage()).hasValue(2);
        }
    }

    @Test
    void presignMessagesAreNotAcceptedByAnOnlineRunOfTheSameSession() {
        // the presign transcript has its own label and no message: its messages cannot take part
        // in an online signing run of the same session, in either direction, so a presignature
        // can never be passed off as (or mixed into) an online signature
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        ProtocolParty<Dkls23Presignature> pre = SCHEME.presign(sid, shares.get(2), Set.of(1, 2), rnd);
        ProtocolParty<Signature> online = SCHEME.sign(sid, shares.get(1), Set.of(1, 2), new byte[32], rnd);
        List<ProtocolMessage> fromPre = pre.start();
        List<ProtocolMessage> fromOnline = online.start();
        assertThatThrownBy(() -> pre.receive(fromOnline.stream().filter(m -> m.isBroadcast() || m.to() == 2).toList()))
                .isInstanceOf(ProtocolAbort.class).satisfies(e -> assertThat(((ProtocolAbort) e).culprit()).hasValue(1));
        assertThatThrownBy(() -> online.receive(fromPre.stream().filter(m -> m.isBroadcast() || m.to() == 1).toList()))
                .isInstanceOf(ProtocolAbort.class).satisfies(e -> assertThat(((ProtocolAbort) e).culprit()).hasValue(2));
    }

    @Test
    void malformedStoredPresignaturesAreRefused() {
        Dkls23Presignature p = presign(shares, Set.of(1, 2), new SecureRandom()).get(1);
        byte[] enc = p.encode();
        byte[] trailing = java.util.Arrays.copyOf(enc, enc.length + 1);
        assertThatThrownBy(() -> Dkls23Presignature.decode(trailing)).isInstanceOf(MalformedEncodingException.class);
        byte[] truncated = java.util.Arrays.copyOf(enc, enc.length - 1);
        assertThatThrownBy(() -> Dkls23Presignature.decode(truncated)).isInstanceOf(MalformedEncodingException.class);
        // index byte (after tag, session length and bytes, public key) set to a non-signer
        byte[] stranger = enc.clone();
        stranger[3 + 4 + 32 + 33] = 3;
        assertThatThrownBy(() -> Dkls23Presignature.decode(stranger)).isInstanceOf(MalformedEncodingException.class).hasMessageContaining("signer set");
    }
}
