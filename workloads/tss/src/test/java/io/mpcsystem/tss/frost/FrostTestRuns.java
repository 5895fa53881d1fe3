package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.protocol.LocalNetwork;
import io.mpcsystem.tss.protocol.ProtocolMessage;
import io.mpcsystem.tss.protocol.ProtocolParty;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** Ceremonies run over {@link LocalNetwork}, shared by the FROST tests. */
final class FrostTestRuns {
    private FrostTestRuns() {
    }

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static SessionId session(SecureRandom random) {
        return SessionId.random(random);
    }

    static Map<Integer, FrostKeyShare> keygen(FrostScheme scheme, int t, int n, SecureRandom random) {
        return keygen(scheme, t, n, random, UnaryOperator.identity());
    }

    static Map<Integer, FrostKeyShare> keygen(FrostScheme scheme, int t, int n, SecureRandom random, UnaryOperator<ProtocolMessage> wire) {
        SessionId sid = session(random);
        List<ProtocolParty<FrostKeyShare>> parties = new ArrayList<>();
        for (int i = 1; i <= n; i++) parties.add(scheme.keygen(sid, i, t, n, random));
        return LocalNetwork.run(parties, wire);
    }

    static Map<Integer, FrostKeyShare> refresh(FrostScheme scheme, Collection<FrostKeyShare> shares, SecureRandom random, UnaryOperator<ProtocolMessage> wire) {
        SessionId sid = session(random);
        List<ProtocolParty<FrostKeyShare>> parties = new ArrayList<>();
        for (FrostKeyShare s : shares) parties.add(scheme.refresh(sid, s, random));
        return LocalNetwork.run(parties, wire);
    }

    static Map<Integer, Signature> sign(FrostScheme scheme, Collection<FrostKeyShare> signerShares, byte[] message, SecureRandom random,
                                        UnaryOperator<ProtocolMessage> wire) {
        SessionId sid = session(random);
        Set<Integer> signers = new TreeSet<>();
        for (FrostKeyShare s : signerShares) signers.add(s.index());
        List<ProtocolParty<Signature>> parties = new ArrayList<>();
        for (FrostKeyShare s : signerShares) parties.add(scheme.sign(sid, s, signers, message, random));
        return LocalNetwork.run(parties, wire);
    }

    static List<List<Integer>> subsets(int n, int t) {
        List<List<Integer>> out = new ArrayList<>();
        collect(1, n, t, new ArrayList<>(), out);
        return out;
    }

    private static void collect(int from, int n, int t, List<Integer> acc, List<List<Integer>> out) {
        if (acc.size() == t) {
            out.add(List.copyOf(acc));
            return;
        }
        for (int i = from; i <= n; i++) {
            acc.add(i);
            collect(i + 1, n, t, acc, out);
            acc.remove(acc.size() - 1);
        }
    }

    /** Flips one bit of the payload of the first message matching round, sender and receiver (0 = broadcast). */
    static UnaryOperator<ProtocolMessage> flipBit(int round, int from, int to, int offsetFromEnd) {
        boolean[] done = {false};
        return m -> {
            if (done[0] || m.round() != round || m.from() != from || m.to() != to) return m;
            done[0] = true;
            byte[] p = m.payload();
            p[p.length - 1 - offsetFromEnd] ^= 0x01;
            return new ProtocolMessage(m.round(), m.from(), m.to(), p);
        };
    }

    static UnaryOperator<ProtocolMessage> flipBitAt(int round, int from, int to, int offset) {
        return m -> {
            if (m.round() != round || m.from() != from || m.to() != to) return m;
            byte[] p = m.payload();
            p[offset] ^= 0x01;
            return new ProtocolMessage(m.round(), m.from(), m.to(), p);
        };
    }
}
