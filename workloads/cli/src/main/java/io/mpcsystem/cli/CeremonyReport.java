package io.mpcsystem.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mpcsystem.tss.Signature;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** What a keygen-and-sign run produced and how long it took; printed as text or as one JSON object. */
public record CeremonyReport(String protocol, String curve, int threshold, int parties, byte[] publicKey,
                             List<SignedMessage> signatures, TimingSummary keygen, TimingSummary sign) {
    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One signature: who signed, what (the 32-byte hash for ECDSA, the message for Schnorr), and the result. */
    public record SignedMessage(List<Integer> signers, byte[] message, Signature signature) {
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("protocol", protocol);
        root.put("curve", curve);
        root.put("threshold", threshold);
        root.put("parties", parties);
        root.put("publicKey", HEX.formatHex(publicKey));
        ArrayNode sigs = root.putArray("signatures");
        for (SignedMessage s : signatures) {
            ObjectNode o = sigs.addObject();
            ArrayNode signers = o.putArray("signers");
            s.signers().forEach(signers::add);
            o.put("message", HEX.formatHex(s.message()));
            o.put("signature", HEX.formatHex(s.signature().bytes()));
            s.signature().recoveryId().ifPresent(v -> o.put("recoveryId", v));
        }
        ObjectNode timings = root.putObject("timings");
        put(timings.putObject("keygenMs"), keygen);
        put(timings.putObject("signMs"), sign);
        return root.toString();
    }

    private static void put(ObjectNode node, TimingSummary t) {
        node.put("min", round(t.min()));
        node.put("median", round(t.median()));
        node.put("max", round(t.max()));
    }

    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }

    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "protocol   %s (%s), %d-of-%d%n", protocol, curve, threshold, parties));
        b.append(String.format(Locale.ROOT, "public key %s%n", HEX.formatHex(publicKey)));
        b.append(String.format(Locale.ROOT, "%-8s %8s %10s %10s %10s%n", "", "runs", "min ms", "median ms", "max ms"));
        line(b, "keygen", keygen);
        line(b, "sign", sign);
        b.append(String.format(Locale.ROOT, "all %d signatures verified with an independent verifier%n", signatures.size()));
        return b.toString();
    }

    private static void line(StringBuilder b, String name, TimingSummary t) {
        b.append(String.format(Locale.ROOT, "%-8s %8d %10.2f %10.2f %10.2f%n", name, t.samples(), t.min(), t.median(), t.max()));
    }
}
