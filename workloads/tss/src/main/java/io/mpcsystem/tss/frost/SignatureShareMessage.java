package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.group.Group;
import java.math.BigInteger;

/** A signer's round-two broadcast: its signature share z_i. */
record SignatureShareMessage(BigInteger share) {
    static final int TYPE = 0x0231;

    byte[] encode(FrostCiphersuite suite) {
        Group g = suite.group();
        return CanonicalWriter.of(TYPE).fixed(g.encodeScalar(share), g.scalarLength()).toByteArray();
    }

    static SignatureShareMessage decode(FrostCiphersuite suite, byte[] bytes) {
        Group g = suite.group();
        CanonicalReader r = CanonicalReader.of(bytes, TYPE, "FROST signature share");
        BigInteger z = g.decodeScalar(r.fixed(g.scalarLength(), "signature share"));
        r.finish("FROST signature share");
        return new SignatureShareMessage(z);
    }
}
