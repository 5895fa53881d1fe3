package io.mpcsystem.tss.frost;

/** A signature check that shares no code with the protocol's own group arithmetic. */
interface IndependentVerifier {
    boolean verify(byte[] publicKey, byte[] message, byte[] signature);
}
