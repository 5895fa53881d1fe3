package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.group.Group;
import java.math.BigInteger;

/** A dealer's private round-two message to one party: f_dealer(receiver). Secret; never printed. */
record DealtShare(BigInteger value) {
    byte[] encode(FrostCiphersuite suite, int type) {
        Group g = suite.group();
        return CanonicalWriter.of(type).fixed(g.encodeScalar(value), g.scalarLength()).toByteArray();
    }

    static DealtShare decode(FrostCiphersuite suite, int type, byte[] bytes) {
        Group g = suite.group();
        CanonicalReader r = CanonicalReader.of(bytes, type, "FROST dealt share");
        BigInteger v = g.decodeScalar(r.fixed(g.scalarLength(), "share"));
        r.finish("FROST dealt share");
        return new DealtShare(v);
    }

    @Override
    public String toString() {
        return "DealtShare[redacted]";
    }
}
