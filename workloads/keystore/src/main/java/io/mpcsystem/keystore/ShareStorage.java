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

    /**
     * Removes the share and returns it, atomically: of any number of concurrent takes of one id,
     * at most one gets it (what makes a presignature single-use even under parallel requests).
     */
    Optional<SealedShare> take(String keyId);
}
