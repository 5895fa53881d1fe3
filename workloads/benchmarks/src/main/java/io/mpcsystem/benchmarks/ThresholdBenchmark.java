package io.mpcsystem.benchmarks;

import io.mpcsystem.tss.KeyShare;
import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.ThresholdScheme;
import io.mpcsystem.tss.protocol.LocalNetwork;
import io.mpcsystem.tss.protocol.ProtocolParty;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 2-of-3 key generation and signing of each scheme, all parties in one thread (so a figure is
 * the sum of every party's work, as in {@code mpc bench}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ThresholdBenchmark {
    @Param({"dkls23", "frost-ed25519", "frost-secp256k1"})
    public String protocol;

    private Run<?> run;

    @Setup(Level.Trial)
    public void setUp() throws NoSuchAlgorithmException {
        run = new Run<>(Schemes.byId(protocol), SecureRandom.getInstance("DRBG"));
    }

    @Benchmark
    public Object keygen() {
        return run.keygen();
    }

    @Benchmark
    public Signature sign() {
        return run.sign();
    }

    /** Captures the scheme's share type so the benchmark methods stay untyped. */
    static final class Run<S extends KeyShare> {
        private final ThresholdScheme<S> scheme;
        private final SecureRandom random;
        private final Map<Integer, S> shares;
        private final byte[] message = new byte[32];

        Run(ThresholdScheme<S> scheme, SecureRandom random) {
            this.scheme = scheme;
            this.random = random;
            this.shares = keygen();
            random.nextBytes(message);
        }

        Map<Integer, S> keygen() {
            SessionId sid = SessionId.random(random);
            List<ProtocolParty<S>> parties = new ArrayList<>();
            for (int i = 1; i <= 3; i++) parties.add(scheme.keygen(sid, i, 2, 3, random));
            return LocalNetwork.run(parties);
        }

        Signature sign() {
            SessionId sid = SessionId.random(random);
            Set<Integer> signers = Set.of(1, 2);
            List<ProtocolParty<Signature>> parties = List.of(
                    scheme.sign(sid, shares.get(1), signers, message, random),
                    scheme.sign(sid, shares.get(2), signers, message, random));
            return LocalNetwork.run(parties).get(1);
        }
    }
}
