package io.mpcsystem.operator.keyset;

/** Which key: party {@code party} of the KeySet {@code namespace/keySet}, at {@code version}. */
public record KeyRef(String namespace, String keySet, int party, int version) {
    public KeyRef {
        if (party < 1) throw new IllegalArgumentException("party index starts at 1");
        if (version < 1) throw new IllegalArgumentException("key versions start at 1");
    }

    /** The backend path below its prefix, e.g. {@code mpc/custody-keys/party-2/v3}. */
    public String path() {
        return namespace + "/" + keySet + "/party-" + party + "/v" + version;
    }
}
