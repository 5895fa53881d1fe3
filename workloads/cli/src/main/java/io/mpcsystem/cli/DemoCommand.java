package io.mpcsystem.cli;

import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.dkls23.Dkls23KeyShare;
import io.mpcsystem.tss.dkls23.Dkls23Scheme;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mpc demo}: a 2-of-3 DKLs23 key generation and one signature, in process. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Creates a 2-of-3 threshold ECDSA (DKLs23, secp256k1) key with three parties in this JVM, "
                + "signs SHA-256(\"hello from mpc-system\") with two of them and verifies the signature.")
public final class DemoCommand implements Callable<Integer> {
    static final String MESSAGE = "hello from mpc-system";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "print the same JSON object as 'mpc bench --json'")
    boolean json;

    @Override
    public Integer call() {
        InProcessCeremony<Dkls23KeyShare> ceremony = new InProcessCeremony<>(Dkls23Scheme.INSTANCE, 2, 3, Randomness.drbg());
        byte[] hash = ceremony.signable(MESSAGE.getBytes(StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        Map<Integer, Dkls23KeyShare> shares = ceremony.keygen();
        double keygenMs = (System.nanoTime() - t0) / 1e6;
        Set<Integer> signers = Set.of(1, 3);
        long t1 = System.nanoTime();
        // sign() verifies with BouncyCastle's ECDSA before returning
        Signature sig = ceremony.sign(shares, signers, hash);
        double signMs = (System.nanoTime() - t1) / 1e6;
        byte[] pk = shares.get(1).publicKey();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            CeremonyReport report = new CeremonyReport(Dkls23Scheme.ID, "secp256k1", 2, 3, pk,
                    List.of(new CeremonyReport.SignedMessage(List.of(1, 3), hash, sig)),
                    TimingSummary.of(List.of(keygenMs)), TimingSummary.of(List.of(signMs)));
            out.println(report.toJson());
        } else {
            HexFormat hex = HexFormat.of();
            byte[] b = sig.bytes();
            out.println("2-of-3 threshold ECDSA (DKLs23, secp256k1), three parties in this process");
            out.println("public key  " + hex.formatHex(pk));
            out.println("message     \"" + MESSAGE + "\"  sha256 " + hex.formatHex(hash));
            out.println("signers     parties 1 and 3");
            out.println("r           " + hex.formatHex(b, 0, 32));
            out.println("s           " + hex.formatHex(b, 32, 64));
            out.println("v           " + sig.recoveryId().orElseThrow());
            out.printf(java.util.Locale.ROOT, "timings     keygen %.1f ms, sign %.1f ms%n", keygenMs, signMs);
            out.println("verified");
        }
        out.flush();
        return 0;
    }
}
