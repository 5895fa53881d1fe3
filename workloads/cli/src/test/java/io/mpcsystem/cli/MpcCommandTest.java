package io.mpcsystem.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.Signature;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class MpcCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = MpcCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "bench --protocol nope --threshold 2 --parties 3|unknown protocol 'nope'",
            "bench --protocol dkls23 --threshold 4 --parties 3|cannot exceed --parties",
            "bench --protocol dkls23 --threshold 0 --parties 3|at least 1",
            "bench --protocol dkls23 --threshold 1 --parties 1|between 2 and 255",
            "bench --protocol dkls23 --threshold 2 --parties 3 --signatures 0|--signatures must be at least 1",
            "bench --protocol dkls23 --threshold two --parties 3|'two' is not an int",
            "bench --threshold 2 --parties 3|Missing required option: '--protocol",
            "frobnicate|Unmatched argument"})
    void badArgumentsExitWith2AndOneLine(String args, String expected) {
        Run r = run(args.split(" "));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(expected).startsWith("mpc: ");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dkls23", "frost-ed25519", "frost-secp256k1"})
    void benchJsonHasTheDocumentedShapeAndVerifiableSignatures(String protocol) throws Exception {
        Run r = run("bench", "--protocol", protocol, "--threshold", "2", "--parties", "3", "--signatures", "3", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("protocol").asText()).isEqualTo(protocol);
        assertThat(j.get("curve").asText()).isEqualTo(protocol.equals("frost-ed25519") ? "ed25519" : "secp256k1");
        assertThat(j.get("threshold").asInt()).isEqualTo(2);
        assertThat(j.get("parties").asInt()).isEqualTo(3);
        byte[] pk = HexFormat.of().parseHex(j.get("publicKey").asText());
        assertThat(pk).hasSize(protocol.equals("frost-ed25519") ? 32 : 33);
        assertThat(j.get("signatures")).hasSize(3);
        for (JsonNode s : j.get("signatures")) {
            Set<Integer> signers = new HashSet<>();
            s.get("signers").forEach(n -> signers.add(n.asInt()));
            assertThat(signers).hasSize(2).allSatisfy(i -> assertThat(i).isBetween(1, 3));
            byte[] msg = HexFormat.of().parseHex(s.get("message").asText());
            byte[] sig = HexFormat.of().parseHex(s.get("signature").asText());
            assertThat(msg).hasSize(32);
            assertThat(sig).hasSize(protocol.equals("frost-secp256k1") ? 65 : 64);
            OptionalInt v = s.has("recoveryId") ? OptionalInt.of(s.get("recoveryId").asInt()) : OptionalInt.empty();
            assertThat(v.isPresent()).isEqualTo(protocol.equals("dkls23"));
            // the printed bytes verify independently
            assertThat(Schemes.byId(protocol).verify(pk, msg, new Signature(sig, v))).isTrue();
            byte[] bad = sig.clone();
            bad[10] ^= 1;
            assertThat(Schemes.byId(protocol).verify(pk, msg, new Signature(bad, v))).isFalse();
        }
        for (String phase : List.of("keygenMs", "signMs")) {
            JsonNode t = j.get("timings").get(phase);
            assertThat(t.get("min").asDouble()).isPositive().isLessThanOrEqualTo(t.get("median").asDouble());
            assertThat(t.get("median").asDouble()).isLessThanOrEqualTo(t.get("max").asDouble());
        }
    }

    @Test
    void benchTextShowsTheTimings() {
        Run r = run("bench", "--protocol", "frost-secp256k1", "--threshold", "2", "--parties", "2", "--signatures", "2");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("keygen").contains("sign").contains("median ms").contains("2 signatures verified");
    }

    @Test
    void demoSignsAndVerifies() {
        Run r = run("demo", "--in-process");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("public key").contains("r ").contains("s ").contains("v ").endsWith("verified" + System.lineSeparator());
    }

    @Test
    void demoJsonMatchesTheBenchShape() throws Exception {
        Run r = run("demo", "--in-process", "--json");
        assertThat(r.exit()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("protocol").asText()).isEqualTo("dkls23");
        assertThat(j.get("signatures").get(0).get("recoveryId").asInt()).isBetween(0, 3);
        assertThat(j.get("timings").has("keygenMs")).isTrue();
    }

    @Test
    void timingSummaryMedian() {
        assertThat(TimingSummary.of(List.of(3.0, 1.0, 2.0))).isEqualTo(new TimingSummary(1.0, 2.0, 3.0, 3));
        assertThat(TimingSummary.of(List.of(4.0, 1.0, 2.0, 3.0)).median()).isEqualTo(2.5);
    }
}
