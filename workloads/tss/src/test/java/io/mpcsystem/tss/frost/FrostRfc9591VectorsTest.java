package io.mpcsystem.tss.frost;

import static org.assertj.core.api.Assertions.assertThat;

import io.mpcsystem.tss.group.Group;
import io.mpcsystem.tss.group.Polynomial;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 9591 Appendix E.1 (Ed25519) and E.5 (secp256k1), checked byte for byte. */
class FrostRfc9591VectorsTest {

    /** The vector values of one ciphersuite; P1 and P3 sign. */
    record Vector(FrostCiphersuite suite, String groupSecret, String groupPublicKey, String coefficient1,
                  List<String> shares, Signer p1, Signer p3, String signature) {
        @Override
        public String toString() {
            return suite.name();
        }
    }

    record Signer(int id, String hidingRandomness, String bindingRandomness, String hidingNonce, String bindingNonce,
                  String hidingCommitment, String bindingCommitment, String bindingFactor, String sigShare) {
    }

    static final byte[] MESSAGE = HexFormat.of().parseHex("74657374");

    static Stream<Vector> vectors() {
        return Stream.of(
                new Vector(FrostCiphersuite.ED25519,
                        "7b1c33d3f5291d85de664833beb1ad469f7fb6025a0ec78b3a790c6e13a98304",
                        "15d21ccd7ee42959562fc8aa63224c8851fb3ec85a3faf66040d380fb9738673",
                        "178199860edd8c62f5212ee91eff1295d0d670ab4ed4506866bae57e7030b204",
                        List.of("929dcc590407aae7d388761cddb0c0db6f5627aea8e217f4a033f2ec83d93509",
                                "a91e66e012e4364ac9aaa405fcafd370402d9859f7b6685c07eed76bf409e80d",
                                "d3cb090a075eb154e82fdb4b3cb507f110040905468bb9c46da8bdea643a9a02"),
                        new Signer(1,
                                "0fd2e39e111cdc266f6c0f4d0fd45c947761f1f5d3cb583dfcb9bbaf8d4c9fec",
                                "69cd85f631d5f7f2721ed5e40519b1366f340a87c2f6856363dbdcda348a7501",
                                "812d6104142944d5a55924de6d49940956206909f2acaeedecda2b726e630407",
                                "b1110165fc2334149750b28dd813a39244f315cff14d4e89e6142f262ed83301",
                                "b5aa8ab305882a6fc69cbee9327e5a45e54c08af61ae77cb8207be3d2ce13de3",
                                "67e98ab55aa310c3120418e5050c9cf76cf387cb20ac9e4b6fdb6f82a469f932",
                                "f2cb9d7dd9beff688da6fcc83fa89046b3479417f47f55600b106760eb3b5603",
                                "001719ab5a53ee1a12095cd088fd149702c0720ce5fd2f29dbecf24b7281b603"),
                        new Signer(3,
                                "86d64a260059e495d0fb4fcc17ea3da7452391baa494d4b00321098ed2a0062f",
                                "13e6b25afb2eba51716a9a7d44130c0dbae0004a9ef8d7b5550c8a0e07c61775",
                                "c256de65476204095ebdc01bd11dc10e57b36bc96284595b8215222374f99c0e",
                                "243d71944d929063bc51205714ae3c2218bd3451d0214dfb5aeec2a90c35180d",
                                "cfbdb165bd8aad6eb79deb8d287bcc0ab6658ae57fdcc98ed12c0669e90aec91",
                                "7487bc41a6e712eea2f2af24681b58b1cf1da278ea11fe4e8b78398965f13552",
                                "b087686bf35a13f3dc78e780a34b0fe8a77fef1b9938c563f5573d71d8d7890f",
                                "bd86125de990acc5e1f13781d8e32c03a9bbd4c53539bbc106058bfd14326007"),
                        "36282629c383bb820a88b71cae937d41f2f2adfcc3d02e55507e2fb9e2dd3cbe"
                                + "bd9d2b0844e49ae0f3fa935161e1419aab7b47d21a37ebeae1f17d4987b3160b"),
                new Vector(FrostCiphersuite.SECP256K1,
                        "0d004150d27c3bf2a42f312683d35fac7394b1e9e318249c1bfe7f0795a83114",
                        "02f37c34b66ced1fb51c34a90bdae006901f10625cc06c4f64663b0eae87d87b4f",
                        "fbf85eadae3058ea14f19148bb72b45e4399c0b16028acaf0395c9b03c823579",
                        List.of("08f89ffe80ac94dcb920c26f3f46140bfc7f95b493f8310f5fc1ea2b01f4254c",
                                "04f0feac2edcedc6ce1253b7fab8c86b856a797f44d83d82a385554e6e401984",
                                "00e95d59dd0d46b0e303e500b62b7ccb0e555d49f5b849f5e748c071da8c0dbc"),
                        new Signer(1,
                                "7ea5ed09af19f6ff21040c07ec2d2adbd35b759da5a401d4c99dd26b82391cb2",
                                "47acab018f116020c10cb9b9abdc7ac10aae1b48ca6e36dc15acb6ec9be5cdc5",
                                "841d3a6450d7580b4da83c8e618414d0f024391f2aeb511d7579224420aa81f0",
                                "8d2624f532af631377f33cf44b5ac5f849067cae2eacb88680a31e77c79b5a80",
                                "03c699af97d26bb4d3f05232ec5e1938c12f1e6ae97643c8f8f11c9820303f1904",
                                "02fa2aaccd51b948c9dc1a325d77226e98a5a3fe65fe9ba213761a60123040a45e",
                                "3e08fe561e075c653cbfd46908a10e7637c70c74f0a77d5fd45d1a750c739ec6",
                                "c4fce1775a1e141fb579944166eab0d65eefe7b98d480a569bbbfcb14f91c197"),
                        new Signer(3,
                                "e6cc56ccbd0502b3f6f831d91e2ebd01c4de0479e0191b66895a4ffd9b68d544",
                                "7203d55eb82a5ca0d7d83674541ab55f6e76f1b85391d2c13706a89a064fd5b9",
                                "2b19b13f193f4ce83a399362a90cdc1e0ddcd83e57089a7af0bdca71d47869b2",
                                "7a443bde83dc63ef52dda354005225ba0e553243402a4705ce28ffaafe0f5b98",
                                "03077507ba327fc074d2793955ef3410ee3f03b82b4cdc2370f71d865beb926ef6",
                                "02ad53031ddfbbacfc5fbda3d3b0c2445c8e3e99cbc4ca2db2aa283fa68525b135",
                                "93f79041bb3fd266105be251adaeb5fd7f8b104fb554a4ba9a0becea48ddbfd7",
                                "0160fd0d388932f4826d2ebcd6b9eaba734f7c71cf25b4279a4ca2581e47b18d"),
                        "0205b6d04d3774c8929413e3c76024d54149c372d57aae62574ed74319b5ea14d0"
                                + "c65dde8492a7471437e6c2fe3da49b90d23f642b5c6dbe7e36089f096dd97324"));
    }

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static BigInteger scalar(Group g, String h) {
        return g.decodeScalar(hex(h));
    }

    static FrostTrustedDealer.Dealing dealing(Vector v) {
        Group g = v.suite().group();
        Polynomial f = Polynomial.of(g, List.of(scalar(g, v.groupSecret()), scalar(g, v.coefficient1())));
        return FrostTrustedDealer.deal(v.suite(), f, 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void trustedDealerReproducesSharesAndGroupKey(Vector v) {
        FrostTrustedDealer.Dealing d = dealing(v);
        Group g = v.suite().group();
        assertThat(hex(d.vssCommitment().get(0).encode())).isEqualTo(v.groupPublicKey());
        for (int i = 1; i <= 3; i++) {
            FrostKeyShare s = d.shares().get(i - 1);
            assertThat(hex(g.encodeScalar(s.secret()))).isEqualTo(v.shares().get(i - 1));
            assertThat(hex(s.publicKey())).isEqualTo(v.groupPublicKey());
            assertThat(FrostTrustedDealer.vssVerify(v.suite(), i, s.secret(), d.vssCommitment())).isTrue();
            assertThat(FrostTrustedDealer.vssVerify(v.suite(), i, s.secret().add(BigInteger.ONE), d.vssCommitment())).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void signingStepsMatchByteForByte(Vector v) {
        FrostCiphersuite suite = v.suite();
        Group g = suite.group();
        FrostTrustedDealer.Dealing d = dealing(v);
        Map<Integer, SigningNonces> nonces = new java.util.TreeMap<>();
        List<SigningCommitment> commitments = new java.util.ArrayList<>();
        for (Signer s : List.of(v.p1(), v.p3())) {
            FixedBytesRandom random = new FixedBytesRandom(s.hidingRandomness(), s.bindingRandomness());
            SigningNonces n = SigningNonces.generate(suite, d.shares().get(s.id() - 1).secret(), random);
            assertThat(random.exhausted()).isTrue();
            assertThat(hex(g.encodeScalar(n.hiding()))).isEqualTo(s.hidingNonce());
            assertThat(hex(g.encodeScalar(n.binding()))).isEqualTo(s.bindingNonce());
            SigningCommitment c = n.commitment(suite, s.id());
            assertThat(hex(c.hiding().encode())).isEqualTo(s.hidingCommitment());
            assertThat(hex(c.binding().encode())).isEqualTo(s.bindingCommitment());
            nonces.put(s.id(), n);
            commitments.add(c);
        }
        FrostSigningPackage pkg = new FrostSigningPackage(suite, d.shares().get(0).groupPublicKey(), MESSAGE, commitments);
        Map<Integer, BigInteger> shares = new java.util.TreeMap<>();
        for (Signer s : List.of(v.p1(), v.p3())) {
            assertThat(hex(g.encodeScalar(pkg.bindingFactor(s.id())))).isEqualTo(s.bindingFactor());
            BigInteger z = pkg.signShare(s.id(), d.shares().get(s.id() - 1).secret(), nonces.get(s.id()));
            assertThat(hex(g.encodeScalar(z))).isEqualTo(s.sigShare());
            assertThat(pkg.verifyShare(s.id(), z, d.shares().get(0).verifyingShare(s.id()))).isTrue();
            assertThat(pkg.verifyShare(s.id(), z.add(BigInteger.ONE), d.shares().get(0).verifyingShare(s.id()))).isFalse();
            shares.put(s.id(), z);
        }
        FrostSignature sig = pkg.aggregate(shares);
        assertThat(hex(sig.encode(suite))).isEqualTo(v.signature());
        assertThat(sig.verify(suite, d.shares().get(0).groupPublicKey(), MESSAGE)).isTrue();
        assertThat(FrostSignature.decode(suite, hex(v.signature()))).isEqualTo(sig);
    }

    /** The same vector through the state machines: FrostScheme.sign with the RFC's nonce randomness injected. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void signingPartiesReproduceTheRfcSignature(Vector v) {
        FrostScheme scheme = v.suite() == FrostCiphersuite.ED25519 ? FrostScheme.ED25519 : FrostScheme.SECP256K1;
        FrostTrustedDealer.Dealing d = dealing(v);
        io.mpcsystem.tss.SessionId sid = new io.mpcsystem.tss.SessionId(new byte[32]);
        java.util.List<io.mpcsystem.tss.protocol.ProtocolParty<io.mpcsystem.tss.Signature>> parties = new java.util.ArrayList<>();
        for (Signer s : List.of(v.p1(), v.p3())) {
            parties.add(scheme.sign(sid, d.shares().get(s.id() - 1), java.util.Set.of(1, 3), MESSAGE,
                    new FixedBytesRandom(s.hidingRandomness(), s.bindingRandomness())));
        }
        Map<Integer, io.mpcsystem.tss.Signature> out = io.mpcsystem.tss.protocol.LocalNetwork.run(parties);
        assertThat(hex(out.get(1).bytes())).isEqualTo(v.signature());
        assertThat(hex(out.get(3).bytes())).isEqualTo(v.signature());
        assertThat(scheme.verify(hex(v.groupPublicKey()), MESSAGE, out.get(1))).isTrue();
    }
}
