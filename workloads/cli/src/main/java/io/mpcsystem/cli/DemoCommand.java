package io.mpcsystem.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mpcsystem.cli.up.LocalCluster;
import io.mpcsystem.cli.up.PortPlan;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.dkls23.Dkls23KeyShare;
import io.mpcsystem.tss.dkls23.Dkls23Scheme;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mpc demo}: starts the whole system (as {@code mpc up} does, on free ports and a
 * throw-away data directory), creates a 2-of-3 secp256k1 account through the account service,
 * signs SHA-256("hello from mpc-system"), verifies the signature independently, prints it, and
 * stops everything. {@code --in-process} runs the protocol alone in this JVM instead.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Starts the system (database, Redis, coordinator, router, three parties, account service), creates a 2-of-3 "
                + "threshold ECDSA account, signs SHA-256(\"hello from mpc-system\"), verifies the signature and stops everything.")
public final class DemoCommand implements Callable<Integer> {
    static final String MESSAGE = "hello from mpc-system";
    private static final HexFormat HEX = HexFormat.of();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "print the same JSON object as 'mpc bench --json'")
    boolean json;

    @Option(names = "--tls", description = "run the system with TLS on every connection (a local CA)")
    boolean tls;

    @Option(names = "--in-process", description = "run the three parties in this JVM only (no services)")
    boolean inProcess;

    @Override
    public Integer call() throws IOException {
        byte[] hash = sha256(MESSAGE.getBytes(StandardCharsets.UTF_8));
        return inProcess ? inProcess(hash) : throughTheSystem(hash);
    }

    private int throughTheSystem(byte[] hash) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path data = Files.createTempDirectory("mpc-demo-");
        if (!json) {
            out.println("starting mpc-system: PostgreSQL, Redis, coordinator, router, three server parties, account service ...");
            out.flush();
        }
        String apiKey = UpCommand.bootstrapApiKey();
        try (LocalCluster cluster = LocalCluster.start(Home.path(), data, PortPlan.free(), apiKey, Map.of(), Duration.ofSeconds(120), tls)) {
            AccountClient client = new AccountClient(cluster.accountUrl(), apiKey, cluster.tls().map(t -> t.sslContext()).orElse(null));
            long t0 = System.nanoTime();
            JsonNode account = client.createAccount("secp256k1");
            double keygenMs = (System.nanoTime() - t0) / 1e6;
            long t1 = System.nanoTime();
            JsonNode signed = client.signHash(account.get("id").asText(), HEX.formatHex(hash));
            double signMs = (System.nanoTime() - t1) / 1e6;
            byte[] pk = HEX.parseHex(account.get("publicKey").asText());
            byte[] sigBytes = HEX.parseHex(signed.get("signature").asText());
            int recovery = signed.get("v").asInt() - 27;
            Signature sig = new Signature(sigBytes, OptionalInt.of(recovery));
            if (!Dkls23Scheme.INSTANCE.verify(pk, hash, sig)) {
                spec.commandLine().getErr().println("mpc: the signature does NOT verify");
                return 1;
            }
            List<Integer> signers = signers(cluster, signed.get("sessionId").asText());
            if (json) {
                out.println(new CeremonyReport(Dkls23Scheme.ID, "secp256k1", 2, 3, pk, List.of(new CeremonyReport.SignedMessage(signers, hash, sig)),
                        TimingSummary.of(List.of(keygenMs)), TimingSummary.of(List.of(signMs))).toJson());
            } else {
                out.println("2-of-3 threshold ECDSA (DKLs23, secp256k1) through the account service, coordinator, router and three parties");
                out.println("account     " + account.get("id").asText());
                out.println("public key  " + HEX.formatHex(pk));
                out.println("address     " + account.get("address").asText());
                out.println("message     \"" + MESSAGE + "\"  sha256 " + HEX.formatHex(hash));
                out.println("signers     parties " + signers);
                out.println("r           " + signed.get("r").asText());
                out.println("s           " + signed.get("s").asText());
                out.println("v           " + signed.get("v").asInt());
                out.printf(java.util.Locale.ROOT, "timings     account (key generation) %.0f ms, signature %.0f ms%n", keygenMs, signMs);
                out.println("verified");
            }
            out.flush();
            return 0;
        }
    }

    /** The share indices that signed, from the coordinator's record of the session. */
    private static List<Integer> signers(LocalCluster cluster, String sessionId) {
        String coordinatorUrl = cluster.ports().coordinatorHttpUrl();
        HttpClient http = HttpClient.newHttpClient();
        if (cluster.tls().isPresent()) {
            coordinatorUrl = coordinatorUrl.replace("http://", "https://");
            http = HttpClient.newBuilder().sslContext(cluster.tls().get().sslContext()).build();
        }
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(coordinatorUrl + "/api/v1/sessions/" + sessionId))
                    .header("Authorization", "Bearer " + cluster.secrets().accountToken())
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            List<Integer> out = new ArrayList<>();
            new ObjectMapper().readTree(r.body()).path("roster").forEach(m -> out.add(m.get("index").asInt()));
            return out;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private int inProcess(byte[] hash) {
        InProcessCeremony<Dkls23KeyShare> ceremony = new InProcessCeremony<>(Dkls23Scheme.INSTANCE, 2, 3, Randomness.drbg());
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
            out.println(new CeremonyReport(Dkls23Scheme.ID, "secp256k1", 2, 3, pk, List.of(new CeremonyReport.SignedMessage(List.of(1, 3), hash, sig)),
                    TimingSummary.of(List.of(keygenMs)), TimingSummary.of(List.of(signMs))).toJson());
        } else {
            byte[] b = sig.bytes();
            out.println("2-of-3 threshold ECDSA (DKLs23, secp256k1), three parties in this process");
            out.println("public key  " + HEX.formatHex(pk));
            out.println("message     \"" + MESSAGE + "\"  sha256 " + HEX.formatHex(hash));
            out.println("signers     parties 1 and 3");
            out.println("r           " + HEX.formatHex(b, 0, 32));
            out.println("s           " + HEX.formatHex(b, 32, 64));
            out.println("v           " + sig.recoveryId().orElseThrow());
            out.printf(java.util.Locale.ROOT, "timings     keygen %.1f ms, sign %.1f ms%n", keygenMs, signMs);
            out.println("verified");
        }
        out.flush();
        return 0;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
