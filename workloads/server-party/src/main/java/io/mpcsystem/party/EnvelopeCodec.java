package io.mpcsystem.party;

import com.google.protobuf.ByteString;
import io.mpcsystem.proto.Ed25519Signatures;
import io.mpcsystem.proto.SignedBytes;
import io.mpcsystem.proto.router.v1.Envelope;
import io.mpcsystem.tss.protocol.ProtocolMessage;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/**
 * Turns protocol messages into envelopes for the untrusted router and back. Every envelope is
 * signed with the sender's Ed25519 identity key; point-to-point payloads are encrypted to the
 * receiver's X25519 key (ephemeral-static ECDH, HKDF-SHA256, AES-256-GCM with the envelope
 * header as associated data). A router or coordinator that alters, replays into another session,
 * redirects or forges an envelope produces one that {@link #open} rejects.
 *
 * <p>A codec serves one session. It draws one ephemeral key per receiver for the session rather
 * than one per envelope: the X25519 agreements were a third of a party's envelope cost,
 * and what a leaked key exposes is unchanged (the receiver's static key opens every payload sent
 * to it either way; the sender keeps nothing long-term that opens them). Each envelope still gets
 * a fresh random nonce and its own header as associated data. {@link #wipe} clears the derived
 * keys when the session ends.
 */
public final class EnvelopeCodec {
    private static final byte[] HKDF_INFO = "mpc-system/router/p2p/v1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final int NONCE = 12;

    private final PartyIdentity self;
    private final String sessionId;
    private final Roster roster;
    private final SecureRandom random;
    private final int selfIndex;
    // receiver index -> this session's ephemeral public key and derived key towards it
    private final Map<Integer, PairKey> outbound = new HashMap<>();
    // sender index -> the last ephemeral public key it used and the key derived from it
    private final Map<Integer, PairKey> inbound = new HashMap<>();
    private boolean wiped;

    private record PairKey(byte[] ephemeralPublic, byte[] key) {
        void wipe() {
            Arrays.fill(key, (byte) 0);
        }

        @Override
        public String toString() {
            return "PairKey[redacted]";
        }
    }

    public EnvelopeCodec(PartyIdentity self, String sessionId, Roster roster, SecureRandom random) {
        this.self = self;
        this.sessionId = sessionId;
        this.roster = roster;
        this.random = random;
        Roster.Member me = roster.byParty(self.partyId()).orElseThrow(() -> new IllegalArgumentException("party " + self.partyId() + " is not in the roster"));
        if (!Arrays.equals(me.signingKey(), self.signingKey())) throw new IllegalArgumentException("the roster holds another signing key for " + self.partyId());
        this.selfIndex = me.index();
    }

    public Roster roster() {
        return roster;
    }

    public int selfIndex() {
        return selfIndex;
    }

    public Envelope seal(ProtocolMessage m) {
        if (m.from() != selfIndex) throw new IllegalArgumentException("message is not from this party");
        String to = "";
        byte[] payload = m.payload();
        Envelope.Builder b = Envelope.newBuilder().setSessionId(sessionId).setRound(m.round()).setFromParty(self.partyId());
        if (!m.isBroadcast()) {
            Roster.Member receiver = roster.byIndex(m.to()).orElseThrow(() -> new IllegalArgumentException("no roster member " + m.to()));
            to = receiver.partyId();
            b.setToParty(to);
            payload = encrypt(b.build(), receiver, payload);
        }
        return signed(self, b.setPayload(ByteString.copyFrom(payload)).build());
    }

    /** The envelope with the given identity's signature over all its other fields. */
    static Envelope signed(PartyIdentity identity, Envelope e) {
        Envelope unsigned = e.toBuilder().clearSignature().build();
        return unsigned.toBuilder().setSignature(ByteString.copyFrom(sign(identity, SignedBytes.envelope(unsigned)))).build();
    }

    /** Checks, decrypts and maps an envelope to a protocol message addressed to this party. */
    public ProtocolMessage open(Envelope e) throws EnvelopeRejected {
        if (!sessionId.equals(e.getSessionId())) throw new EnvelopeRejected("envelope of another session");
        Roster.Member sender = roster.byParty(e.getFromParty()).orElseThrow(() -> new EnvelopeRejected("sender " + e.getFromParty() + " is not in the roster"));
        if (sender.index() == selfIndex) throw new EnvelopeRejected("envelope claims to come from this party");
        if (!Ed25519Signatures.verify(sender.signingKey(), SignedBytes.envelope(e), e.getSignature().toByteArray())) {
            throw new EnvelopeRejected("envelope signature from " + e.getFromParty() + " does not verify");
        }
        if (e.getRound() < 1) throw new EnvelopeRejected("bad round");
        if (e.getToParty().isEmpty()) {
            return new ProtocolMessage(e.getRound(), sender.index(), ProtocolMessage.BROADCAST, e.getPayload().toByteArray());
        }
        if (!e.getToParty().equals(self.partyId())) throw new EnvelopeRejected("envelope addressed to " + e.getToParty());
        Envelope header = e.toBuilder().clearPayload().clearSignature().clearStreamId().build();
        return new ProtocolMessage(e.getRound(), sender.index(), selfIndex, decrypt(header, sender.index(), e.getPayload().toByteArray()));
    }

    /** Clears the session's derived keys; the codec cannot seal or open point-to-point payloads afterwards. */
    public synchronized void wipe() {
        outbound.values().forEach(PairKey::wipe);
        inbound.values().forEach(PairKey::wipe);
        outbound.clear();
        inbound.clear();
        wiped = true;
    }

    private synchronized PairKey outboundKey(Roster.Member receiver) throws GeneralSecurityException {
        if (wiped) throw new IllegalStateException("the session's envelope keys are wiped");
        PairKey k = outbound.get(receiver.index());
        if (k == null) {
            X25519PrivateKeyParameters eph = new X25519PrivateKeyParameters(random);
            byte[] ephPub = eph.generatePublicKey().getEncoded();
            byte[] receiverKey = receiver.encryptionKey();
            k = new PairKey(ephPub, derive(eph, receiverKey, ephPub, receiverKey));
            outbound.put(receiver.index(), k);
        }
        return k;
    }

    private synchronized PairKey inboundKey(int sender, byte[] ephPub) throws GeneralSecurityException {
        if (wiped) throw new GeneralSecurityException("wiped");
        PairKey k = inbound.get(sender);
        // only envelopes whose sender signature verified get here, so the cache holds one key per sender
        if (k == null || !MessageDigest.isEqual(k.ephemeralPublic(), ephPub)) {
            if (k != null) k.wipe();
            k = new PairKey(ephPub.clone(), derive(self.encryptionParameters(), ephPub, ephPub, self.encryptionKey()));
            inbound.put(sender, k);
        }
        return k;
    }

    private byte[] encrypt(Envelope header, Roster.Member receiver, byte[] plaintext) {
        try {
            PairKey k = outboundKey(receiver);
            byte[] ephPub = k.ephemeralPublic();
            byte[] nonce = new byte[NONCE];
            random.nextBytes(nonce);
            byte[] ct = gcm(Cipher.ENCRYPT_MODE, k.key(), nonce, SignedBytes.envelope(header), plaintext);
            byte[] out = new byte[32 + NONCE + ct.length];
            System.arraycopy(ephPub, 0, out, 0, 32);
            System.arraycopy(nonce, 0, out, 32, NONCE);
            System.arraycopy(ct, 0, out, 32 + NONCE, ct.length);
            return out;
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("cannot encrypt a point-to-point payload: " + ex.getClass().getSimpleName());
        }
    }

    private byte[] decrypt(Envelope header, int sender, byte[] sealed) throws EnvelopeRejected {
        if (sealed.length < 32 + NONCE + 16) throw new EnvelopeRejected("encrypted payload too short");
        byte[] ephPub = Arrays.copyOfRange(sealed, 0, 32);
        byte[] nonce = Arrays.copyOfRange(sealed, 32, 32 + NONCE);
        byte[] ct = Arrays.copyOfRange(sealed, 32 + NONCE, sealed.length);
        try {
            return gcm(Cipher.DECRYPT_MODE, inboundKey(sender, ephPub).key(), nonce, SignedBytes.envelope(header), ct);
        } catch (GeneralSecurityException | IllegalArgumentException ex) {
            throw new EnvelopeRejected("point-to-point payload does not decrypt");
        }
    }

    private static byte[] derive(X25519PrivateKeyParameters priv, byte[] peerPublic, byte[] ephPub, byte[] receiverPub) throws GeneralSecurityException {
        if (peerPublic.length != 32) throw new GeneralSecurityException("bad public key");
        X25519Agreement ka = new X25519Agreement();
        ka.init(priv);
        byte[] shared = new byte[32];
        try {
            ka.calculateAgreement(new X25519PublicKeyParameters(peerPublic, 0), shared, 0);
        } catch (IllegalStateException e) {
            throw new GeneralSecurityException("low-order point");
        }
        if (MessageDigest.isEqual(shared, new byte[shared.length])) throw new GeneralSecurityException("low-order point");
        byte[] salt = new byte[64];
        System.arraycopy(ephPub, 0, salt, 0, 32);
        System.arraycopy(receiverPub, 0, salt, 32, 32);
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(shared, salt, HKDF_INFO));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, 32);
        Arrays.fill(shared, (byte) 0);
        return key;
    }

    private static byte[] gcm(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] input) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        c.updateAAD(aad);
        return c.doFinal(input);
    }

    private byte[] sign(byte[] bytes) {
        return sign(self, bytes);
    }

    /** Ed25519 (RFC 8032) signature with the party's identity key. */
    static byte[] sign(PartyIdentity identity, byte[] bytes) {
        return Ed25519Signatures.sign(identity.signingParameters(), bytes);
    }
}
