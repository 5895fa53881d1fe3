package io.mpcsystem.account;

/** A key the parties generated: the coordinator's name for it and its (validated, canonical) public key. */
public record GeneratedKey(String keyId, byte[] publicKey) {
    public GeneratedKey {
        publicKey = publicKey.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }
}
