package io.mpcsystem.operator.keyset;

/**
 * What the controller sees of one party during a rollout.
 *
 * @param rolled          the party's pod runs the released template and is ready
 * @param reportedVersion the key version the party reports every share wrapped by, or null when
 *                        it cannot tell (unreachable, still re-wrapping, shares under several versions)
 * @param detail          why the party is not done yet, for the status and Events
 */
public record PartyObservation(boolean rolled, Integer reportedVersion, String detail) {
}
