package io.mpcsystem.tss.dkls23;

import io.mpcsystem.tss.SessionId;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.ThresholdScheme;
import io.mpcsystem.tss.protocol.ProtocolParty;
import java.security.SecureRandom;
import java.util.Set;

/** Threshold ECDSA on secp256k1 with DKLs23: t-of-n key generation, refresh, four-round signing, and presignatures that sign in one step. */
public final class Dkls23Scheme implements ThresholdScheme<Dkls23KeyShare> {
    public static final String ID = "dkls23";
    public static final Dkls23Scheme INSTANCE = new Dkls23Scheme();

    private Dkls23Scheme() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String curve() {
        return "secp256k1";
    }

    @Override
    public ProtocolParty<Dkls23KeyShare> keygen(SessionId session, int self, int threshold, int parties, SecureRandom random) {
        return Dkls23Keygen.keygen(session, self, threshold, parties, random);
    }

    @Override
    public ProtocolParty<Dkls23KeyShare> refresh(SessionId session, Dkls23KeyShare share, SecureRandom random) {
        return Dkls23Keygen.refresh(session, share, random);
    }

    @Override
    public ProtocolParty<Signature> sign(SessionId session, Dkls23KeyShare share, Set<Integer> signers, byte[] message, SecureRandom random) {
        return Dkls23Sign.start(session, share, signers, message, random);
    }

    /**
     * The three message-independent rounds of signing, ahead of time: each signer ends with a
     * {@link Dkls23Presignature} for this signer set, which signs one message later without any
     * further round between the signers ({@link Dkls23Presignature#signatureShare}, then
     * {@link Dkls23Combiner#combine}).
     */
    public ProtocolParty<Dkls23Presignature> presign(SessionId session, Dkls23KeyShare share, Set<Integer> signers, SecureRandom random) {
        return Dkls23Presign.presign(session, share, signers, random);
    }

    @Override
    public Dkls23KeyShare decodeShare(byte[] encoded) {
        return Dkls23KeyShare.decode(encoded);
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, Signature signature) {
        return EcdsaVerifier.verify(publicKey, message, signature);
    }
}
