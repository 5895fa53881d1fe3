package io.mpcsystem.tss.dkls23;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.protocol.LocalNetwork;
import io.mpcsystem.tss.protocol.ProtocolAbort;
import io.mpcsystem.tss.protocol.ProtocolParty;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Full DKLs23 ceremonies in one JVM: keygen, signing by every t-subset, refresh; checked by BouncyCastle's own ECDSA. */
class Dkls23CeremonyTest {
    static final Dkls23Scheme SCHEME = Dkls23Scheme.INSTANCE;
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);

    static Map<Integer, Dkls23KeyShare> keygen(int t, int n, SecureRandom rnd) {
        SessionId sid = SessionId.random(rnd);
        List<ProtocolParty<Dkls23KeyShare>> parties = new ArrayList<>();
        for (int i = 1; i <= n; i++) parties.add(SCHEME.keygen(sid, i, t, n, rnd));
        return LocalNetwork.run(parties);
    }

    static Signature sign(Map<Integer, Dkls23KeyShare> shares, Set<Integer> signers, byte[] hash, SecureRandom rnd) {
        SessionId sid = SessionId.random(rnd);
        List<ProtocolParty<Signature>> parties = new ArrayList<>();
        for (int i : signers) parties.add(SCHEME.sign(sid, shares.get(i), signers, hash, rnd));
        Map<Integer, Signature> out = LocalNetwork.run(parties);
        Signature first = out.values().iterator().next();
        assertThat(out.values()).allSatisfy(s -> assertThat(s).isEqualTo(first));
        return first;
    }

    static List<Set<Integer>> subsets(int n, int t) {
        List<Set<Integer>> out = new ArrayList<>();
        for (int mask = 0; mask < (1 << n); mask++) {
            if (Integer.bitCount(mask) != t) continue;
            Set<Integer> s = new TreeSet<>();
            for (int i = 0; i < n; i++) if ((mask & (1 << i)) != 0) s.add(i + 1);
            out.add(s);
        }
        return out;
    }

    static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes());
    }

    /** Independent check: BouncyCastle's ECDSASigner, and public-key recovery from (r, s, v). */
    static void assertValidEcdsa(byte[] publicKey, byte[] hash, Signature sig) {
        byte[] b = sig.bytes();
        assertThat(b).hasSize(64);
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(b, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(b, 32, 64));
        assertThat(s).isLessThanOrEqualTo(DOMAIN.getN().shiftRight(1));
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(CURVE.getCurve().decodePoint(publicKey), DOMAIN));
        assertThat(verifier.verifySignature(hash, r, s)).as("BouncyCastle ECDSA verification").isTrue();
        assertThat(recover(hash, r, s, sig.recoveryId().orElseThrow()).getEncoded(true)).isEqualTo(publicKey);
    }

    /** SEC1 4.1.6 public key recovery. */
    static ECPoint recover(byte[] hash, BigInteger r, BigInteger s, int v) {
        BigInteger n = DOMAIN.getN();
        BigInteger x = (v & 2) != 0 ? r.add(n) : r;
        byte[] enc = new byte[33];
        enc[0] = (byte) ((v & 1) != 0 ? 3 : 2);
        byte[] xb = x.toByteArray();
        int len = Math.min(32, xb.length);
        System.arraycopy(xb, xb.length - len, enc, 33 - len, len);
        ECPoint bigR = CURVE.getCurve().decodePoint(enc);
        BigInteger e = new BigInteger(1, hash);
        BigInteger rInv = r.modInverse(n);
        return ECAlgorithms.sumOfTwoMultiplies(bigR, s.multiply(rInv).mod(n), DOMAIN.getG(), e.negate().multiply(rInv).mod(n)).normalize();
    }

    @ParameterizedTest(name = "{0}-of-{1}")
    @CsvSource({"2,2", "2,3", "3,5"})
    void everySubsetSigns(int t, int n) throws Exception {
        SecureRandom rnd = new SecureRandom();
        Map<Integer, Dkls23KeyShare> shares = keygen(t, n, rnd);
        byte[] pk = shares.get(1).publicKey();
        assertThat(shares.values()).allSatisfy(s -> assertThat(s.publicKey()).isEqualTo(pk));
        for (Set<Integer> signers : subsets(n, t)) {
            byte[] hash = sha256("message signed by " + signers);
            assertValidEcdsa(pk, hash, sign(shares, signers, hash, rnd));
        }
    }

    @ParameterizedTest(name = "refresh {0}-of-{1}")
    @CsvSource({"2,3", "3,5"})
    void refreshKeepsKeyAndRetiresOldShares(int t, int n) throws Exception {
        SecureRandom rnd = new SecureRandom();
        Map<Integer, Dkls23KeyShare> old = keygen(t, n, rnd);
        byte[] pk = old.get(1).publicKey();
        SessionId sid = SessionId.random(rnd);
        List<ProtocolParty<Dkls23KeyShare>> parties = new ArrayList<>();
        for (int i = 1; i <= n; i++) parties.add(SCHEME.refresh(sid, old.get(i), rnd));
        Map<Integer, Dkls23KeyShare> fresh = LocalNetwork.run(parties);
        for (int i = 1; i <= n; i++) {
            assertThat(fresh.get(i).publicKey()).isEqualTo(pk);
            assertThat(fresh.get(i).generation()).isEqualTo(1);
            assertThat(fresh.get(i).secret()).isNotEqualTo(old.get(i).secret());
        }
        byte[] hash = sha256("after refresh");
        for (Set<Integer> signers : subsets(n, t)) assertValidEcdsa(pk, hash, sign(fresh, signers, hash, rnd));

        // the last signer still holds its old share, the others their new ones: the run must fail,
        // and the honest parties (which LocalNetwork runs first) name the stale one
        Set<Integer> signers = subsets(n, t).get(0);
        int stale = ((TreeSet<Integer>) signers).last();
        Map<Integer, Dkls23KeyShare> mixed = new java.util.HashMap<>(fresh);
        mixed.put(stale, old.get(stale));
        assertThatThrownBy(() -> sign(mixed, signers, hash, rnd)).isInstanceOf(ProtocolAbort.class)
                .satisfies(e -> assertThat(((ProtocolAbort) e).culprit()).hasValue(stale));
    }
}
