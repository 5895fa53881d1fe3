package io.mpcsystem.tss.dkls23;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.encoding.MalformedEncodingException;
import io.mpcsystem.tss.protocol.LocalNetwork;
import io.mpcsystem.tss.protocol.ProtocolMessage;
import io.mpcsystem.tss.protocol.ProtocolParty;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Canonical encodings: round trips of real messages and shares; truncated, extended and random bytes fail cleanly. */
class Dkls23EncodingTest {
    private static final List<ProtocolMessage> captured = new ArrayList<>();
    private static Map<Integer, Dkls23KeyShare> shares;

    @BeforeAll
    static void runAndCapture() {
        SecureRandom rnd = new SecureRandom();
        SessionId sid = SessionId.random(rnd);
        List<ProtocolParty<Dkls23KeyShare>> parties = new ArrayList<>();
        for (int i = 1; i <= 3; i++) parties.add(Dkls23Scheme.INSTANCE.keygen(sid, i, 2, 3, rnd));
        shares = LocalNetwork.run(parties, m -> {
            captured.add(m);
            return m;
        });
        byte[] hash = new byte[32];
        rnd.nextBytes(hash);
        SessionId signSid = SessionId.random(rnd);
        LocalNetwork.run(List.of(Dkls23Scheme.INSTANCE.sign(signSid, shares.get(1), Set.of(1, 3), hash, rnd),
                Dkls23Scheme.INSTANCE.sign(signSid, shares.get(3), Set.of(1, 3), hash, rnd)), m -> {
            captured.add(m);
            return m;
        });
    }

    /** The decoder for a payload, chosen by its type tag. */
    private static Function<byte[], Object> decoderFor(byte[] payload) {
        int tag = ((payload[1] & 0xFF) << 8) | (payload[2] & 0xFF);
        return switch (tag) {
            case KeygenMessages.Commitment.TAG -> KeygenMessages.Commitment::decode;
            case KeygenMessages.BaseOtStart.TAG -> KeygenMessages.BaseOtStart::decode;
            case KeygenMessages.Reveal.TAG -> KeygenMessages.Reveal::decode;
            case KeygenMessages.ShareAndChoices.TAG -> KeygenMessages.ShareAndChoices::decode;
            case KeygenMessages.ViewConfirmation.TAG -> KeygenMessages.ViewConfirmation::decode;
            case KeygenMessages.BaseOtDigests.CHALLENGE_TAG -> b -> KeygenMessages.BaseOtDigests.decode(b, KeygenMessages.BaseOtDigests.CHALLENGE_TAG);
            case KeygenMessages.BaseOtDigests.RESPONSE_TAG -> b -> KeygenMessages.BaseOtDigests.decode(b, KeygenMessages.BaseOtDigests.RESPONSE_TAG);
            case KeygenMessages.BaseOtOpenings.TAG -> KeygenMessages.BaseOtOpenings::decode;
            case SignMessages.SessionContribution.TAG -> SignMessages.SessionContribution::decode;
            case SignMessages.ZeroSeed.TAG -> SignMessages.ZeroSeed::decode;
            case SignMessages.NonceCommitment.TAG -> SignMessages.NonceCommitment::decode;
            case SignMessages.MultiplyRequest.TAG -> SignMessages.MultiplyRequest::decode;
            case SignMessages.NonceReveal.TAG -> SignMessages.NonceReveal::decode;
            case SignMessages.MultiplyResponse.TAG -> SignMessages.MultiplyResponse::decode;
            case Dkls23SignatureShare.TAG -> b -> Dkls23SignatureShare.decode(1, b);
            default -> throw new AssertionError("unknown tag " + Integer.toHexString(tag));
        };
    }

    @Test
    void everyMessageKindWasCapturedAndDecodes() {
        java.util.Set<Integer> tags = new java.util.TreeSet<>();
        for (ProtocolMessage m : captured) {
            byte[] p = m.payload();
            tags.add(((p[1] & 0xFF) << 8) | (p[2] & 0xFF));
            assertThat(decoderFor(p).apply(p)).isNotNull();
        }
        assertThat(tags).hasSize(15);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void truncatedExtendedOrCorruptHeadersFailCleanly(long seed) {
        Random r = new Random(seed);
        for (ProtocolMessage m : captured) {
            byte[] p = m.payload();
            Function<byte[], Object> dec = decoderFor(p);
            int cut = r.nextInt(p.length);
            assertThatThrownBy(() -> dec.apply(Arrays.copyOf(p, cut))).isInstanceOf(MalformedEncodingException.class);
            assertThatThrownBy(() -> dec.apply(Arrays.copyOf(p, p.length + 1 + r.nextInt(4)))).isInstanceOf(MalformedEncodingException.class);
            byte[] wrongVersion = p.clone();
            wrongVersion[0] = (byte) (2 + r.nextInt(200));
            assertThatThrownBy(() -> dec.apply(wrongVersion)).isInstanceOf(MalformedEncodingException.class);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    void randomBytesFailCleanly(long seed) {
        Random r = new Random(seed);
        for (ProtocolMessage m : captured) {
            byte[] p = m.payload();
            byte[] junk = new byte[r.nextInt(2 * p.length + 1)];
            r.nextBytes(junk);
            if (junk.length >= 3) {
                // keep the header so the body parser, not the tag check, is exercised
                System.arraycopy(p, 0, junk, 0, 3);
            }
            try {
                decoderFor(p).apply(junk);
            } catch (MalformedEncodingException expected) {
                continue;
            }
            // a random body can only decode if it has the exact length and every field is valid;
            // for point-carrying messages this is (practically) impossible
            assertThat(junk.length).isEqualTo(p.length);
        }
    }

    @Test
    void keyShareRoundTripsAndRejectsDamage() {
        Dkls23KeyShare share = shares.get(2);
        byte[] enc = share.encode();
        Dkls23KeyShare back = Dkls23KeyShare.decode(enc);
        assertThat(back.encode()).isEqualTo(enc);
        assertThat(back.publicKey()).isEqualTo(share.publicKey());
        Random r = new Random(7);
        for (int i = 0; i < 20; i++) {
            int cut = r.nextInt(enc.length);
            assertThatThrownBy(() -> Dkls23KeyShare.decode(Arrays.copyOf(enc, cut))).isInstanceOf(MalformedEncodingException.class);
        }
        byte[] wrongSecret = enc.clone();
        wrongSecret[3 + 2 + 2 + 2 + 4 + 31] ^= 1; // last byte of the secret share
        assertThatThrownBy(() -> Dkls23KeyShare.decode(wrongSecret)).isInstanceOf(MalformedEncodingException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void keyShareNeverPrintsItsSecretAndCanBeWiped() {
        Dkls23KeyShare share = Dkls23KeyShare.decode(shares.get(3).encode());
        String secretHex = HexFormat.of().formatHex(io.mpcsystem.tss.group.Secp256k1.INSTANCE.encodeScalar(share.secret()));
        assertThat(share.toString()).doesNotContain(secretHex).contains("redacted");
        share.wipe();
        assertThatThrownBy(share::encode).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(share::secret).isInstanceOf(IllegalStateException.class);
    }
}
