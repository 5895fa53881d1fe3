package io.mpcsystem.tss.frost;

import io.mpcsystem.tss.group.GroupElement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The public inputs of one signing run, shared by its rounds (no secrets). */
record FrostSigningParams(FrostCiphersuite suite, int self, Set<Integer> signers, byte[] message,
                          GroupElement groupPublicKey, List<GroupElement> verifyingShares) {
    FrostSigningParams {
        signers = Set.copyOf(signers);
        message = message.clone();
        verifyingShares = List.copyOf(verifyingShares);
    }

    Set<Integer> others() {
        Set<Integer> o = new TreeSet<>(signers);
        o.remove(self);
        return o;
    }

    GroupElement verifyingShare(int party) {
        return verifyingShares.get(party - 1);
    }

    @Override
    public byte[] message() {
        return message.clone();
    }
}
