package io.mpcsystem.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HexFieldTest {
    private final HexField hash = new HexField("hash", 32, 32);

    @Test
    void decodesUpperLowerAndPrefixed() {
        String hex = "00ff".repeat(16);
        assertThat(hash.decode(hex)).hasSize(32);
        assertThat(hash.decode("0x" + hex.toUpperCase())).isEqualTo(hash.decode(hex));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "abc|must be hex",
            "zz00000000000000000000000000000000000000000000000000000000000000|must be hex",
            "'0x'|exactly 32 bytes, got 0",
            "0000|exactly 32 bytes, got 2",
            "' 000000000000000000000000000000000000000000000000000000000000000'|must be hex"})
    void refusesWithTheReason(String value, String reason) {
        assertThatThrownBy(() -> hash.decode(value)).isInstanceOf(ApiProblem.class).hasMessageContaining(reason)
                .satisfies(e -> assertThat(((ApiProblem) e).status()).isEqualTo(400));
    }

    @Test
    void missingIsRequired() {
        assertThatThrownBy(() -> hash.decode(null)).hasMessageContaining("field 'hash' is required");
    }
}
