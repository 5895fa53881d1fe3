package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.encoding.MalformedEncodingException;
import io.mpcsystem.tss.group.Group;
import io.mpcsystem.tss.group.GroupElement;
import java.math.BigInteger;
import java.util.Arrays;

/** A Schnorr signature (R, z); encoded SerializeElement(R) || SerializeScalar(z) as RFC 9591 says. */
public record FrostSignature(GroupElement r, BigInteger z) {

    public byte[] encode(FrostCiphersuite suite) {
        Group g = suite.group();
        byte[] rb = r.encode();
        byte[] zb = g.encodeScalar(z);
        byte[] out = Arrays.copyOf(rb, rb.length + zb.length);
        System.arraycopy(zb, 0, out, rb.length, zb.length);
        return out;
    }

    public static FrostSignature decode(FrostCiphersuite suite, byte[] bytes) {
        Group g = suite.group();
        if (bytes == null || bytes.length != g.elementLength() + g.scalarLength()) {
            throw new MalformedEncodingException("FROST signature must be " + (g.elementLength() + g.scalarLength()) + " bytes");
        }
        GroupElement r = g.decodeElement(Arrays.copyOf(bytes, g.elementLength()));
        BigInteger z = g.decodeScalar(Arrays.copyOfRange(bytes, g.elementLength(), bytes.length));
        return new FrostSignature(r, z);
    }

    /** RFC 9591 verify_signature: z·G == R + c·PK (a prime-order group needs no cofactor clearing). */
    public boolean verify(FrostCiphersuite suite, GroupElement groupPublicKey, byte[] message) {
        BigInteger c = FrostSigningPackage.challenge(suite, r, groupPublicKey, message);
        return suite.group().multiplyBase(z).equals(r.add(groupPublicKey.multiply(c)));
    }
}
