package io.mpcsystem.account;

import java.util.HexFormat;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.math.ec.ECPoint;

/** The Ethereum address of a secp256k1 public key, with the EIP-55 mixed-case checksum. */
public final class EthereumAddress {
    private EthereumAddress() {
    }

    public static String of(byte[] compressedPublicKey) {
        ECPoint p = io.mpcsystem.tss.group.Secp256k1.DOMAIN.getCurve().decodePoint(compressedPublicKey);
        byte[] uncompressed = p.getEncoded(false);
        byte[] hash = keccak256(java.util.Arrays.copyOfRange(uncompressed, 1, 65));
        String hex = HexFormat.of().formatHex(hash, 12, 32);
        return "0x" + checksum(hex);
    }

    /** EIP-55: upper-case each letter whose nibble in keccak256(lowercase hex) is >= 8. */
    static String checksum(String lowerHex) {
        byte[] h = keccak256(lowerHex.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder(40);
        for (int i = 0; i < lowerHex.length(); i++) {
            char c = lowerHex.charAt(i);
            int nibble = (h[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xF;
            out.append(Character.isLetter(c) && nibble >= 8 ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return out.toString();
    }

    static byte[] keccak256(byte[] in) {
        KeccakDigest d = new KeccakDigest(256);
        d.update(in, 0, in.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }
}
