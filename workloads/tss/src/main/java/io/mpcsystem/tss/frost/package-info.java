/**
 * FROST threshold Schnorr signatures (RFC 9591) for FROST(Ed25519, SHA-512) and
 * FROST(secp256k1, SHA-256): Pedersen DKG with proofs of knowledge and an echo round,
 * zero-sharing refresh, and two-round signing in which every signer aggregates and checks
 * every share.
 *
 * <p>Canonical encoding type tags (range 0x0200-0x02FF):
 * <ul>
 *   <li>0x0201 {@link io.mpcsystem.tss.frost.FrostKeyShare}: suite u8, index u16, threshold u16,
 *       parties u16, secret scalar, group key, n verifying shares</li>
 *   <li>0x0210 keygen round 1: u16 count t, t commitments, proof (R, z)</li>
 *   <li>0x0211 keygen round 2 (direct): one scalar</li>
 *   <li>0x0212 keygen round 3: n digests of 32 bytes</li>
 *   <li>0x0220 refresh round 1: 32-byte key fingerprint, u16 count t-1, t-1 commitments</li>
 *   <li>0x0221, 0x0222 refresh rounds 2 and 3, as 0x0211 and 0x0212</li>
 *   <li>0x0230 signing round 1: hiding commitment, binding commitment</li>
 *   <li>0x0231 signing round 2: signature share scalar</li>
 * </ul>
 * Scalars and elements use the suite's RFC 9591 serialisation (little-endian / RFC 8032 for
 * Ed25519, big-endian / compressed SEC1 for secp256k1).
 */
package io.mpcsystem.tss.frost;
