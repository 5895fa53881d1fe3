package io.mpcsystem.cli;

import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.ThresholdScheme;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mpc bench}: all parties in one JVM, timings of key generation and signing. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs key generation and signatures with all parties in this JVM (in-memory transport) and prints "
                + "min / median / max timings; every signature is checked with an independent verifier.")
public final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--protocol", required = true, description = "dkls23, frost-ed25519 or frost-secp256k1")
    String protocol;

    @Option(names = "--threshold", required = true, description = "signers needed (t)")
    int threshold;

    @Option(names = "--parties", required = true, description = "parties holding shares (n)")
    int parties;

    @Option(names = "--signatures", defaultValue = "10", description = "signatures to make and time (default ${DEFAULT-VALUE})")
    int signatures;

    @Option(names = "--keygens", defaultValue = "1", description = "key generations to time (default ${DEFAULT-VALUE}); signatures use the last key")
    int keygens;

    @Option(names = "--json", description = "print one JSON object instead of a table")
    boolean json;

    @Override
    public Integer call() {
        ThresholdScheme<?> scheme = validate();
        InProcessCeremony<?> ceremony = new InProcessCeremony<>(scheme, threshold, parties, Randomness.drbg());
        ceremony.warmUp();
        CeremonyReport report = ceremony.measure(keygens, signatures);
        if (json) {
            spec.commandLine().getOut().println(report.toJson());
        } else {
            spec.commandLine().getOut().print(report.toText());
            spec.commandLine().getOut().println("(after an untimed warm-up run of key generation and three signatures)");
        }
        spec.commandLine().getOut().flush();
        return 0;
    }

    private ThresholdScheme<?> validate() {
        ThresholdScheme<?> scheme = Schemes.all().stream().filter(s -> s.id().equals(protocol)).findFirst()
                .orElseThrow(() -> usage("unknown protocol '" + protocol + "' (known: "
                        + Schemes.all().stream().map(ThresholdScheme::id).collect(Collectors.joining(", ")) + ")"));
        if (parties < 2 || parties > 255) throw usage("--parties must be between 2 and 255, got " + parties);
        if (threshold < 1) throw usage("--threshold must be at least 1, got " + threshold);
        if (threshold > parties) throw usage("--threshold (" + threshold + ") cannot exceed --parties (" + parties + ")");
        if (signatures < 1) throw usage("--signatures must be at least 1, got " + signatures);
        if (keygens < 1) throw usage("--keygens must be at least 1, got " + keygens);
        return scheme;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
