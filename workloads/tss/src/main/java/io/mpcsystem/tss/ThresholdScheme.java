package io.mpcsystem.tss;

import io.mpcsystem.tss.protocol.ProtocolParty;
import java.security.SecureRandom;
import java.util.Set;

/**
 * A threshold signature scheme: distributed key generation, refresh of the shares, and signing
 * by any {@code threshold} of the {@code parties}. Each call returns one party's state machine.
 */
public interface ThresholdScheme<S extends KeyShare> {
    /** "dkls23", "frost-ed25519" or "frost-secp256k1". */
    String id();

    /** "secp256k1" or "ed25519". */
    String curve();

    ProtocolParty<S> keygen(SessionId session, int self, int threshold, int parties, SecureRandom random);

    /** All n parties re-randomise their shares; the public key stays, the old shares become useless. */
    ProtocolParty<S> refresh(SessionId session, S share, SecureRandom random);

    /**
     * Signs {@code message} (a 32-byte hash for ECDSA, the message itself for Schnorr) with the
     * parties in {@code signers} (exactly {@code threshold} of them, including this share's party).
     */
    ProtocolParty<Signature> sign(SessionId session, S share, Set<Integer> signers, byte[] message, SecureRandom random);

    S decodeShare(byte[] encoded);

    /** Checks a signature with an independent standard verifier (not the protocol's own code). */
    boolean verify(byte[] publicKey, byte[] message, Signature signature);
}
