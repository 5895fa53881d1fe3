package io.mpcsystem.party;

import io.mpcsystem.proto.coordinator.v1.RosterEntry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The members of one session: protocol index, party id and identity keys, as the coordinator announced them. */
public final class Roster {
    /** One member. */
    public record Member(int index, String partyId, byte[] signingKey, byte[] encryptionKey) {
        public Member {
            if (index < 1) throw new IllegalArgumentException("roster index must be >= 1");
            if (signingKey.length != 32 || encryptionKey.length != 32) throw new IllegalArgumentException("identity keys must be 32 bytes");
            signingKey = signingKey.clone();
            encryptionKey = encryptionKey.clone();
        }
    }

    private final Map<Integer, Member> byIndex = new TreeMap<>();
    private final Map<String, Member> byParty = new TreeMap<>();

    public Roster(Collection<Member> members) {
        for (Member m : members) {
            if (byIndex.put(m.index(), m) != null) throw new IllegalArgumentException("two roster members with index " + m.index());
            if (byParty.put(m.partyId(), m) != null) throw new IllegalArgumentException("party " + m.partyId() + " twice in the roster");
        }
    }

    public static Roster fromProto(List<RosterEntry> entries) {
        return new Roster(entries.stream().map(e -> new Member(e.getIndex(), e.getIdentity().getPartyId(),
                e.getIdentity().getSigningKey().toByteArray(), e.getIdentity().getEncryptionKey().toByteArray())).toList());
    }

    public Optional<Member> byIndex(int index) {
        return Optional.ofNullable(byIndex.get(index));
    }

    public Optional<Member> byParty(String partyId) {
        return Optional.ofNullable(byParty.get(partyId));
    }

    public java.util.Set<Integer> indices() {
        return java.util.Collections.unmodifiableSet(byIndex.keySet());
    }

    public int size() {
        return byIndex.size();
    }
}
