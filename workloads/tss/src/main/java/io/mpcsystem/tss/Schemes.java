package io.mpcsystem.tss;

import java.util.List;
import java.util.stream.Collectors;

/** The threshold schemes this library offers, by id. */
public final class Schemes {
    private static final List<ThresholdScheme<?>> ALL = List.of(
            io.mpcsystem.tss.dkls23.Dkls23Scheme.INSTANCE,
            io.mpcsystem.tss.frost.FrostScheme.ED25519,
            io.mpcsystem.tss.frost.FrostScheme.SECP256K1);

    private Schemes() {
    }

    public static List<ThresholdScheme<?>> all() {
        return ALL;
    }

    /** The scheme with this id. @throws IllegalArgumentException naming the known ids */
    public static ThresholdScheme<?> byId(String id) {
        for (ThresholdScheme<?> s : ALL) if (s.id().equals(id)) return s;
        throw new IllegalArgumentException("unknown protocol '" + id + "' (known: "
                + ALL.stream().map(ThresholdScheme::id).collect(Collectors.joining(", ")) + ")");
    }
}
