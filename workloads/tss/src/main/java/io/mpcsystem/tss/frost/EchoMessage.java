package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import java.util.ArrayList;
import java.util.List;

/** The final broadcast: one digest per party (1..n) of the round-one broadcast this sender received. */
record EchoMessage(List<byte[]> digests) {
    static final int DIGEST_LENGTH = 32;

    EchoMessage {
        digests = List.copyOf(digests);
    }

    byte[] digest(int party) {
        return digests.get(party - 1).clone();
    }

    byte[] encode(int type) {
        CanonicalWriter w = CanonicalWriter.of(type);
        for (byte[] d : digests) w.fixed(d, DIGEST_LENGTH);
        return w.toByteArray();
    }

    static EchoMessage decode(int type, int parties, byte[] bytes) {
        CanonicalReader r = CanonicalReader.of(bytes, type, "FROST echo");
        List<byte[]> ds = new ArrayList<>(parties);
        for (int j = 0; j < parties; j++) ds.add(r.fixed(DIGEST_LENGTH, "digest"));
        r.finish("FROST echo");
        return new EchoMessage(ds);
    }
}
