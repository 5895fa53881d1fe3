package io.mpcsystem.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EthereumAddressTest {
    @ParameterizedTest(name = "private key {0}")
    @CsvSource({
            "1, 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf",
            "2, 0x2B5AD5c4795c026514f8317c7a215E218DcCD6cF",
            "3, 0x6813Eb9362372EEF6200f3b1dbC3f819671cBA69"})
    void knownAddresses(BigInteger privateKey, String address) {
        assertThat(EthereumAddress.ofPublicKey(EcdsaRecovery.publicKeyOf(privateKey, true)).value()).isEqualTo(address);
        assertThat(EthereumAddress.ofPublicKey(EcdsaRecovery.publicKeyOf(privateKey, false)).value()).isEqualTo(address);
    }

    /** The test vectors of EIP-55 itself. */
    @ParameterizedTest
    @CsvSource({
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
            "0x52908400098527886E0F7030069857D2E4169EE7",
            "0xde709f2102306220921060314715629080e2fb77"})
    void eip55Vectors(String address) {
        byte[] raw = java.util.HexFormat.of().parseHex(address.substring(2).toLowerCase());
        assertThat(EthereumAddress.checksummed(raw).value()).isEqualTo(address);
    }

    @ParameterizedTest
    @CsvSource({"02", "0400", "02ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"})
    void rejectsWhatIsNotAPoint(String hex) {
        assertThatThrownBy(() -> EthereumAddress.ofPublicKey(java.util.HexFormat.of().parseHex(hex)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
