package io.mpcsystem.benchmarks;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.dkls23.Dkls23Combiner;
import io.mpcsystem.tss.dkls23.Dkls23KeyShare;
import io.mpcsystem.tss.dkls23.Dkls23Presignature;
import io.mpcsystem.tss.dkls23.Dkls23Scheme;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * DKLs23 2-of-3 signing split the way the services run it: the three rounds ahead of the message
 * (the run-session and zero-share round, then DKLs23's two; both signers, one thread), and the step that is left once the message is known (both
 * signers' shares and the coordinator's combination with its verification).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PresignBenchmark {
    private static final Set<Integer> SIGNERS = Set.of(1, 2);
    private SecureRandom random;
    private Map<Integer, Dkls23KeyShare> shares;
    private byte[] publicKey;
    private final byte[] hash = new byte[32];
    private Map<Integer, Dkls23Presignature> ready;

    @Setup(Level.Trial)
    public void keys() throws NoSuchAlgorithmException {
        random = SecureRandom.getInstance("DRBG");
        SessionId sid = SessionId.random(random);
        List<ProtocolParty<Dkls23KeyShare>> parties = new ArrayList<>();
        for (int i = 1; i <= 3; i++) parties.add(Dkls23Scheme.INSTANCE.keygen(sid, i, 2, 3, random));
        shares = LocalNetwork.run(parties);
        publicKey = shares.get(1).publicKey();
        random.nextBytes(hash);
    }

    /** A fresh presignature for every invocation of {@link #signWithPresignature}: each is usable once. */
    @Setup(Level.Invocation)
    public void presignature() {
        ready = presign();
    }

    @Benchmark
    public Map<Integer, Dkls23Presignature> presign() {
        SessionId sid = SessionId.random(random);
        List<ProtocolParty<Dkls23Presignature>> parties = List.of(
                Dkls23Scheme.INSTANCE.presign(sid, shares.get(1), SIGNERS, random),
                Dkls23Scheme.INSTANCE.presign(sid, shares.get(2), SIGNERS, random));
        return LocalNetwork.run(parties);
    }

    @Benchmark
    public Signature signWithPresignature() {
        byte[] r = ready.get(1).instanceKey();
        return Dkls23Combiner.combine(publicKey, r, hash, SIGNERS,
                List.of(ready.get(1).signatureShare(hash), ready.get(2).signatureShare(hash)));
    }
}
