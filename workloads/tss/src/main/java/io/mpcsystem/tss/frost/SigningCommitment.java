package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.encoding.CanonicalReader;
import io.mpcsystem.tss.encoding.CanonicalWriter;
import io.mpcsystem.tss.group.Group;
import io.mpcsystem.tss.group.GroupElement;

/** A signer's round-one output (D_i, E_i): public commitments to its hiding and binding nonces. */
public record SigningCommitment(int identifier, GroupElement hiding, GroupElement binding) {
    static final int TYPE = 0x0230;

    public SigningCommitment {
        if (identifier < 1) throw new IllegalArgumentException("identifier must be >= 1");
    }

    /** The round-one broadcast; the identifier is the authenticated sender, so it is not repeated. */
    byte[] encode(FrostCiphersuite suite) {
        Group g = suite.group();
        return CanonicalWriter.of(TYPE).fixed(hiding.encode(), g.elementLength()).fixed(binding.encode(), g.elementLength()).toByteArray();
    }

    static SigningCommitment decode(FrostCiphersuite suite, int sender, byte[] bytes) {
        Group g = suite.group();
        CanonicalReader r = CanonicalReader.of(bytes, TYPE, "FROST signing commitment");
        GroupElement hiding = g.decodeElement(r.fixed(g.elementLength(), "hiding commitment"));
        GroupElement binding = g.decodeElement(r.fixed(g.elementLength(), "binding commitment"));
        r.finish("FROST signing commitment");
        return new SigningCommitment(sender, hiding, binding);
    }
}
