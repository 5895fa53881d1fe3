package io.mpcsystem.tss.frost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Full ceremonies: DKG, signing by every t-subset, refresh; signatures checked by independent verifiers. */
class FrostCeremonyTest {
    static final byte[] MESSAGE = "pay 1 BTC to bob".getBytes(StandardCharsets.UTF_8);

    static FrostScheme scheme(FrostCiphersuite suite) {
        return suite == FrostCiphersuite.ED25519 ? FrostScheme.ED25519 : FrostScheme.SECP256K1;
    }

    static Stream<Arguments> configurations() {
        List<Arguments> out = new ArrayList<>();
        for (FrostCiphersuite s : FrostCiphersuite.values()) {
            out.add(Arguments.of(s, 2, 2));
            out.add(Arguments.of(s, 2, 3));
            out.add(Arguments.of(s, 3, 5));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} t={1} n={2}")
    @MethodSource("configurations")
    void dkgThenEverySubsetSigns(FrostCiphersuite suite, int t, int n) {
        FrostScheme scheme = scheme(suite);
        SecureRandom random = FrostTestRuns.seeded(t * 100L + n + suite.ordinal());
        Map<Integer, FrostKeyShare> shares = FrostTestRuns.keygen(scheme, t, n, random);

        assertThat(shares).hasSize(n);
        byte[] pk = shares.get(1).publicKey();
        for (FrostKeyShare s : shares.values()) {
            assertThat(s.publicKey()).isEqualTo(pk);
            assertThat(s.verifyingShares()).isEqualTo(shares.get(1).verifyingShares());
            assertThat(scheme.decodeShare(s.encode()).encode()).isEqualTo(s.encode());
        }
        for (List<Integer> subset : FrostTestRuns.subsets(n, t)) {
            List<FrostKeyShare> signers = subset.stream().map(shares::get).toList();
            Map<Integer, Signature> sigs = FrostTestRuns.sign(scheme, signers, MESSAGE, random, UnaryOperator.identity());
            Signature sig = sigs.values().iterator().next();
            assertThat(sigs.values()).allSatisfy(s -> assertThat(s).isEqualTo(sig));
            assertThat(sig.recoveryId()).isEmpty();
            assertThat(sig.bytes()).hasSize(suite == FrostCiphersuite.ED25519 ? 64 : 65);
            assertThat(scheme.verify(pk, MESSAGE, sig)).as("signers %s", subset).isTrue();
            assertThat(scheme.verify(pk, "another message".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(FrostCiphersuite.class)
    void refreshKeepsKeyAndOldSharesCannotJoinNewOnes(FrostCiphersuite suite) {
        FrostScheme scheme = scheme(suite);
        SecureRandom random = FrostTestRuns.seeded(77 + suite.ordinal());
        Map<Integer, FrostKeyShare> old = FrostTestRuns.keygen(scheme, 2, 3, random);
        Map<Integer, FrostKeyShare> fresh = FrostTestRuns.refresh(scheme, old.values(), random, UnaryOperator.identity());

        byte[] pk = old.get(1).publicKey();
        for (int i = 1; i <= 3; i++) {
            assertThat(fresh.get(i).publicKey()).isEqualTo(pk);
            assertThat(fresh.get(i).verifyingShare(i)).isNotEqualTo(old.get(i).verifyingShare(i));
            assertThat(fresh.get(i).secret()).isNotEqualTo(old.get(i).secret());
        }
        for (List<Integer> subset : FrostTestRuns.subsets(3, 2)) {
            Map<Integer, Signature> sigs = FrostTestRuns.sign(scheme, subset.stream().map(fresh::get).toList(), MESSAGE, random, UnaryOperator.identity());
            assertThat(scheme.verify(pk, MESSAGE, sigs.get(subset.get(0)))).isTrue();
        }
        // LocalNetwork stops at the first abort, in party order: party 1 holds the new share and blames party 3
        assertThatThrownBy(() -> FrostTestRuns.sign(scheme, List.of(fresh.get(1), old.get(3)), MESSAGE, random, UnaryOperator.identity()))
                .isInstanceOfSatisfying(ProtocolAbort.class, a -> assertThat(a.culprit()).hasValue(3));
        // aggregating with its outdated verifying shares, the stale party rejects the refreshed share: no signature either way
        assertThatThrownBy(() -> FrostTestRuns.sign(scheme, List.of(old.get(1), fresh.get(2)), MESSAGE, random, UnaryOperator.identity()))
                .isInstanceOf(ProtocolAbort.class);
    }

    @Test
    void schemesAreRegistered() {
        assertThat(Schemes.byId("frost-ed25519")).isSameAs(FrostScheme.ED25519);
        assertThat(Schemes.byId("frost-secp256k1")).isSameAs(FrostScheme.SECP256K1);
        assertThat(FrostScheme.ED25519.curve()).isEqualTo("ed25519");
        assertThat(FrostScheme.SECP256K1.curve()).isEqualTo("secp256k1");
    }

    @ParameterizedTest
    @EnumSource(FrostCiphersuite.class)
    void keyShareToStringHidesTheSecret(FrostCiphersuite suite) {
        FrostKeyShare share = FrostTrustedDealer.deal(suite, java.math.BigInteger.valueOf(123456789), 2, 3, FrostTestRuns.seeded(5)).shares().get(0);
        String secretHex = java.util.HexFormat.of().formatHex(suite.group().encodeScalar(share.secret()));
        assertThat(share.toString()).doesNotContain(secretHex).doesNotContain(share.secret().toString()).contains("redacted");
        byte[] encoded = share.encode();
        share.wipe();
        assertThatThrownBy(share::encode).isInstanceOf(IllegalStateException.class);
        assertThat(Arrays.equals(FrostKeyShare.decode(encoded).encode(), encoded)).isTrue();
    }
}
