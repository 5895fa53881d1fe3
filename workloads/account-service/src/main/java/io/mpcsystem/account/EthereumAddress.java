package io.mpcsystem.account;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.KeccakDigest;

/** An Ethereum account address with its EIP-55 mixed-case checksum, e.g. 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf. */
public record EthereumAddress(String value) {
    public static EthereumAddress ofPublicKey(byte[] secp256k1PublicKey) {
        byte[] uncompressed = Curve.SECP256K1_PARAMS.getCurve().decodePoint(secp256k1PublicKey).getEncoded(false);
        // Ethereum hashes x||y without SEC1's 0x04 prefix and keeps the last 20 bytes
        byte[] hash = keccak256(Arrays.copyOfRange(uncompressed, 1, uncompressed.length));
        return checksummed(Arrays.copyOfRange(hash, 12, 32));
    }

    /** The EIP-55 form of a 20-byte address: a letter is upper case where the Keccak-256 of the lower-case hex has a nibble >= 8. */
    public static EthereumAddress checksummed(byte[] address) {
        if (address.length != 20) throw new IllegalArgumentException("an Ethereum address is 20 bytes");
        String lower = HexFormat.of().formatHex(address);
        byte[] checksum = keccak256(lower.getBytes(StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder("0x");
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            int nibble = (checksum[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
            out.append(Character.isLetter(c) && nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        return new EthereumAddress(out.toString());
    }

    private static byte[] keccak256(byte[] input) {
        KeccakDigest digest = new KeccakDigest(256);
        digest.update(input, 0, input.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }

    @Override
    public String toString() {
        return value;
    }
}
