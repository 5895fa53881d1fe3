package io.mpcsystem.cli;

import io.mpcsystem.tss.KeyShare;
import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.ThresholdScheme;
import io.mpcsystem.tss.protocol.LocalNetwork;
import io.mpcsystem.tss.protocol.ProtocolParty;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs all parties of a scheme in this JVM over the in-memory transport: key generation, then
 * signatures by random t-subsets, each checked with the scheme's independent verifier.
 */
public final class InProcessCeremony<S extends KeyShare> {
    private final ThresholdScheme<S> scheme;
    private final int threshold;
    private final int parties;
    private final SecureRandom random;

    public InProcessCeremony(ThresholdScheme<S> scheme, int threshold, int parties, SecureRandom random) {
        this.scheme = scheme;
        this.threshold = threshold;
        this.parties = parties;
        this.random = random;
    }

    public Map<Integer, S> keygen() {
        SessionId sid = SessionId.random(random);
        List<ProtocolParty<S>> ps = new ArrayList<>();
        for (int i = 1; i <= parties; i++) ps.add(scheme.keygen(sid, i, threshold, parties, random));
        return LocalNetwork.run(ps);
    }

    /** Signs and checks the result with the scheme's independent verifier. */
    public Signature sign(Map<Integer, S> shares, Set<Integer> signers, byte[] message) {
        Signature sig = runSigning(shares, signers, message);
        verify(shares, signers, message, sig);
        return sig;
    }

    private Signature runSigning(Map<Integer, S> shares, Set<Integer> signers, byte[] message) {
        SessionId sid = SessionId.random(random);
        List<ProtocolParty<Signature>> ps = new ArrayList<>();
        for (int i : new TreeSet<>(signers)) ps.add(scheme.sign(sid, shares.get(i), signers, message, random));
        return LocalNetwork.run(ps).values().iterator().next();
    }

    private void verify(Map<Integer, S> shares, Set<Integer> signers, byte[] message, Signature sig) {
        byte[] pk = shares.values().iterator().next().publicKey();
        if (!scheme.verify(pk, message, sig)) throw new IllegalStateException("signature by " + signers + " failed independent verification");
    }

    /** A random t-subset of the parties. */
    public Set<Integer> randomSigners() {
        List<Integer> all = new ArrayList<>();
        for (int i = 1; i <= parties; i++) all.add(i);
        Collections.shuffle(all, random);
        return new TreeSet<>(all.subList(0, threshold));
    }

    /** What the scheme signs for a message: its SHA-256 hash for ECDSA, the message itself for Schnorr. */
    public byte[] signable(byte[] message) {
        if (!"dkls23".equals(scheme.id())) return message.clone();
        try {
            return MessageDigest.getInstance("SHA-256").digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keygen {@code keygens} times and sign {@code signatures} times, timing each run. */
    public CeremonyReport measure(int keygens, int signatures) {
        List<Double> keygenMs = new ArrayList<>();
        Map<Integer, S> shares = null;
        for (int k = 0; k < keygens; k++) {
            long t0 = System.nanoTime();
            shares = keygen();
            keygenMs.add((System.nanoTime() - t0) / 1e6);
        }
        List<Double> signMs = new ArrayList<>();
        List<CeremonyReport.SignedMessage> signed = new ArrayList<>();
        for (int k = 0; k < signatures; k++) {
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            byte[] message = signable(raw);
            Set<Integer> signers = randomSigners();
            long t0 = System.nanoTime();
            Signature sig = runSigning(shares, signers, message);
            signMs.add((System.nanoTime() - t0) / 1e6);
            verify(shares, signers, message, sig);
            signed.add(new CeremonyReport.SignedMessage(List.copyOf(signers), message, sig));
        }
        return new CeremonyReport(scheme.id(), scheme.curve(), threshold, parties, shares.get(1).publicKey(), signed,
                TimingSummary.of(keygenMs), TimingSummary.of(signMs));
    }

    /** Untimed runs so the JIT has compiled the hot paths before measuring. */
    public void warmUp() {
        Map<Integer, S> shares = keygen();
        for (int k = 0; k < 3; k++) sign(shares, randomSigners(), signable(new byte[] {(byte) k}));
    }
}
