package io.mpcsystem.keystore;

import java.util.List;
import java.util.Optional;

/** Durable storage of sealed shares by key id. Implementations never see a share in clear. */
public interface ShareStorage {
    /** Stores or replaces atomically: after a crash either the old or the new bytes are there, whole. */
    void put(SealedShare share);

    Optional<SealedShare> get(String keyId);

    List<String> keyIds();

    /** Removes the share durably; removing a missing one is not an error. */
    void delete(String keyId);
}
