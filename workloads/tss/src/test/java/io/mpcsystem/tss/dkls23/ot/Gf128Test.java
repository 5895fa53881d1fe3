package io.mpcsystem.tss.dkls23.ot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GF(2^128) must be a field for the KOS check to be sound: check the laws on seeded random elements. */
class Gf128Test {
    private static long[] mul(long[] a, long[] b) {
        return Gf128.multiply(a[0], a[1], b[0], b[1]);
    }

    private static long[] rnd(Random r) {
        return new long[] {r.nextLong(), r.nextLong()};
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void fieldLaws(long seed) {
        Random r = new Random(seed);
        long[] one = {0, 1};
        for (int i = 0; i < 200; i++) {
            long[] a = rnd(r);
            long[] b = rnd(r);
            long[] c = rnd(r);
            assertThat(mul(a, one)).containsExactly(a);
            assertThat(mul(a, b)).containsExactly(mul(b, a));
            assertThat(mul(mul(a, b), c)).containsExactly(mul(a, mul(b, c)));
            long[] bc = {b[0] ^ c[0], b[1] ^ c[1]};
            long[] ab = mul(a, b);
            long[] ac = mul(a, c);
            assertThat(mul(a, bc)).containsExactly(ab[0] ^ ac[0], ab[1] ^ ac[1]);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5})
    void nonZeroElementsHaveInverses(long seed) {
        // a^(2^128 - 1) = 1 for every non-zero a: repeated squaring a^(2^128) must give a back
        Random r = new Random(seed);
        for (int i = 0; i < 20; i++) {
            long[] a = rnd(r);
            long[] x = a;
            for (int k = 0; k < 128; k++) x = mul(x, x);
            assertThat(x).containsExactly(a);
        }
    }

    @org.junit.jupiter.api.Test
    void reductionMatchesThePolynomial() {
        // x^127 · x = x^128 ≡ x^7 + x^2 + x + 1
        long[] x127 = {1L << 63, 0};
        long[] x = {0, 2};
        assertThat(mul(x127, x)).containsExactly(0, 0x87L);
    }
}
