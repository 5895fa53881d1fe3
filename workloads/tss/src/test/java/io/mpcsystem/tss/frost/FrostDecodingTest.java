package io.mpcsystem.tss.frost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.encoding.MalformedEncodingException;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.ProtocolMessage;
import io.mpcsystem.tss.protocol.ProtocolParty;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Truncated and random input never escapes as anything but MalformedEncodingException / ProtocolAbort. */
class FrostDecodingTest {
    static final Map<FrostCiphersuite, FrostKeyShare> SHARES = Map.of(
            FrostCiphersuite.ED25519, FrostTrustedDealer.deal(FrostCiphersuite.ED25519, BigInteger.valueOf(42), 2, 3, FrostTestRuns.seeded(1)).shares().get(1),
            FrostCiphersuite.SECP256K1, FrostTrustedDealer.deal(FrostCiphersuite.SECP256K1, BigInteger.valueOf(42), 2, 3, FrostTestRuns.seeded(1)).shares().get(1));

    /** Every decoder of the package, with a valid encoding to start from. */
    record Decoder(String name, byte[] valid, Consumer<byte[]> decode) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Decoder> decoders(FrostCiphersuite suite) {
        FrostKeyShare share = SHARES.get(suite);
        FrostDealingRun keygen = new FrostDealingRun(suite, new SessionId(new byte[16]), 1, 2, 3, null);
        FrostDealingRun refresh = new FrostDealingRun(suite, new SessionId(new byte[16]), 1, 2, 3,
                new FrostDealingRun.PreviousKey(share.groupPublicKey(), share.verifyingShares(), share.publicFingerprint()));
        var g = suite.group();
        var point = g.multiplyBase(BigInteger.valueOf(5));
        var proof = io.mpcsystem.tss.group.SchnorrProof.prove(g, keygen.proofContext(1), BigInteger.TWO, g.multiplyBase(BigInteger.TWO), FrostTestRuns.seeded(2));
        List<Decoder> out = new ArrayList<>();
        out.add(new Decoder("key share", share.encode(), FrostKeyShare::decode));
        out.add(new Decoder("signing commitment", new SigningCommitment(2, point, point.add(point)).encode(suite), b -> SigningCommitment.decode(suite, 2, b)));
        out.add(new Decoder("signature share", new SignatureShareMessage(BigInteger.TEN).encode(suite), b -> SignatureShareMessage.decode(suite, b)));
        out.add(new Decoder("keygen commitment", DealerCommitment.keygen(List.of(g.multiplyBase(BigInteger.TWO), point), proof).encode(suite),
                b -> DealerCommitment.decode(keygen, b)));
        out.add(new Decoder("refresh commitment", DealerCommitment.refresh(share.publicFingerprint(), List.of(point)).encode(suite),
                b -> DealerCommitment.decode(refresh, b)));
        out.add(new Decoder("dealt share", new DealtShare(BigInteger.TEN).encode(suite, FrostDealingRun.KEYGEN_SHARE),
                b -> DealtShare.decode(suite, FrostDealingRun.KEYGEN_SHARE, b)));
        out.add(new Decoder("echo", new EchoMessage(List.of(new byte[32], new byte[32], new byte[32])).encode(FrostDealingRun.KEYGEN_ECHO),
                b -> EchoMessage.decode(FrostDealingRun.KEYGEN_ECHO, 3, b)));
        out.add(new Decoder("signature", new FrostSignature(point, BigInteger.ONE).encode(suite), b -> FrostSignature.decode(suite, b)));
        out.add(new Decoder("element", point.encode(), g::decodeElement));
        out.add(new Decoder("scheme share", share.encode(), b -> FrostCeremonyTest.scheme(suite).decodeShare(b)));
        return out;
    }

    static Stream<Arguments> decoderCases() {
        return Stream.of(FrostCiphersuite.values()).flatMap(s -> decoders(s).stream().map(d -> Arguments.of(s, d)));
    }

    static Stream<Arguments> randomCases() {
        return decoderCases().flatMap(a -> IntStream.range(0, 4).mapToObj(seed -> Arguments.of(a.get()[0], a.get()[1], seed)));
    }

    static void assertOnlyMalformed(Decoder d, byte[] input) {
        Throwable t = catchThrowable(() -> d.decode().accept(input));
        if (t != null) assertThat(t).as(d.name()).isInstanceOf(MalformedEncodingException.class);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("decoderCases")
    void validDecodesAndEveryTruncationIsMalformed(FrostCiphersuite suite, Decoder d) {
        d.decode().accept(d.valid());
        for (int len = 0; len < d.valid().length; len++) {
            byte[] cut = Arrays.copyOf(d.valid(), len);
            assertThat(catchThrowable(() -> d.decode().accept(cut))).as(d.name() + " cut at " + len).isInstanceOf(MalformedEncodingException.class);
        }
        byte[] longer = Arrays.copyOf(d.valid(), d.valid().length + 1);
        assertThat(catchThrowable(() -> d.decode().accept(longer))).isInstanceOf(MalformedEncodingException.class);
    }

    @ParameterizedTest(name = "{0} {1} seed {2}")
    @MethodSource("randomCases")
    void randomBytesAndBitFlipsAreMalformedOrValid(FrostCiphersuite suite, Decoder d, int seed) {
        Random rnd = new Random(seed * 31L + d.name().hashCode());
        for (int i = 0; i < 50; i++) {
            byte[] junk = new byte[rnd.nextInt(d.valid().length * 2 + 2)];
            rnd.nextBytes(junk);
            assertOnlyMalformed(d, junk);
            // keep the header so the decoder gets past version and type
            byte[] deep = d.valid().clone();
            int from = Math.min(3, deep.length);
            for (int k = from; k < deep.length; k++) if (rnd.nextInt(4) == 0) deep[k] = (byte) rnd.nextInt(256);
            assertOnlyMalformed(d, deep);
            byte[] flipped = d.valid().clone();
            flipped[rnd.nextInt(flipped.length)] ^= (byte) (1 << rnd.nextInt(8));
            assertOnlyMalformed(d, flipped);
        }
    }

    @ParameterizedTest
    @EnumSource(FrostCiphersuite.class)
    void randomPayloadsIntoRunningPartiesBlameTheSender(FrostCiphersuite suite) {
        Random rnd = new Random(99);
        FrostScheme scheme = FrostCeremonyTest.scheme(suite);
        for (int round = 1; round <= 3; round++) {
            for (int i = 0; i < 3; i++) {
                byte[] junk = new byte[rnd.nextInt(120)];
                rnd.nextBytes(junk);
                int r = round;
                Throwable t = catchThrowable(() -> FrostTestRuns.keygen(scheme, 2, 3, FrostTestRuns.seeded(r), m ->
                        m.round() == r && m.from() == 2 ? new ProtocolMessage(m.round(), m.from(), m.to(), junk) : m));
                assertThat(t).isInstanceOfSatisfying(ProtocolAbort.class, a -> assertThat(a.culprit()).hasValue(2));
            }
        }
        Map<Integer, FrostKeyShare> shares = FrostTestRuns.keygen(scheme, 2, 3, FrostTestRuns.seeded(4));
        for (int round = 1; round <= 2; round++) {
            byte[] junk = new byte[rnd.nextInt(120)];
            rnd.nextBytes(junk);
            int r = round;
            Throwable t = catchThrowable(() -> FrostTestRuns.sign(scheme, List.of(shares.get(1), shares.get(3)), new byte[] {1}, FrostTestRuns.seeded(5),
                    m -> m.round() == r && m.from() == 3 ? new ProtocolMessage(m.round(), m.from(), m.to(), junk) : m));
            assertThat(t).isInstanceOfSatisfying(ProtocolAbort.class, a -> assertThat(a.culprit()).hasValue(3));
        }
    }

    @ParameterizedTest
    @EnumSource(FrostCiphersuite.class)
    void signingPartyIsSingleUse(FrostCiphersuite suite) {
        FrostScheme scheme = FrostCeremonyTest.scheme(suite);
        Map<Integer, FrostKeyShare> shares = FrostTestRuns.keygen(scheme, 2, 2, FrostTestRuns.seeded(8));
        ProtocolParty<io.mpcsystem.tss.Signature> p = scheme.sign(SessionId.random(FrostTestRuns.seeded(9)), shares.get(1),
                java.util.Set.of(1, 2), new byte[] {7}, FrostTestRuns.seeded(10));
        p.start();
        assertThat(catchThrowable(p::start)).isInstanceOf(IllegalStateException.class);
        assertThat(catchThrowable(() -> p.receive(List.of()))).isInstanceOf(ProtocolAbort.class);
        assertThat(catchThrowable(() -> p.receive(List.of()))).isInstanceOf(IllegalStateException.class);
    }
}
