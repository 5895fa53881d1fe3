package io.mpcsystem.operator.crd;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What the KeySet controller did and where a rotation stands. Every rotation step is recorded
 * here before it acts, so an operator restarted at any point resumes where it stopped.
 */
public class KeySetStatus {
    public Long observedGeneration;
    public List<Condition> conditions = new ArrayList<>();

    /** Where the keys live, e.g. "vault https://vault:8200 (...)" or "kubernetes-secret (development only)". */
    public String backend;

    /** The key version every party is (or, during a rotation, was) under. */
    public Integer currentVersion;

    /** The highest version ever created: a new rotation never reuses a version, not even a rolled-back one. */
    public Integer highestVersion;

    public List<PartyKeyStatus> parties = new ArrayList<>();

    public RotationStatus rotation = new RotationStatus();

    public String lastRotationTime;
    public String lastRotationResult;

    /** Retired key versions awaiting destruction. */
    public List<RetiredVersion> retired = new ArrayList<>();

    /** Last values of the rotate / rollback / refresh-shares annotations already acted on. */
    public String handledRotateRequest;
    public String handledRollbackRequest;
    public String handledRefreshRequest;

    public ShareRefreshStatus refresh = new ShareRefreshStatus();

    public String lastRefreshTime;
    public String lastRefreshResult;

    /** Party index to the pod-template hash the rotation has released to it, for the MpcCluster's party StatefulSets. */
    public java.util.Map<Integer, String> podKeyHashes() {
        java.util.Map<Integer, String> out = new java.util.TreeMap<>();
        for (PartyKeyStatus p : parties == null ? List.<PartyKeyStatus>of() : parties) {
            if (p.index != null && p.podKeyHash != null) out.put(p.index, p.podKeyHash);
        }
        return out;
    }

    /** One party's key state. */
    public static class PartyKeyStatus {
        public Integer index;
        /** The version the party last confirmed all its shares are wrapped by. */
        public Integer version;
        /** The key-version hash released to the party's pod template. */
        public String podKeyHash;

        public PartyKeyStatus() {
        }

        public PartyKeyStatus(int index, int version, String podKeyHash) {
            this.index = index;
            this.version = version;
            this.podKeyHash = podKeyHash;
        }
    }

    /** A rotation in progress (or the last one, when Idle or Failed). */
    public static class RotationStatus {
        /** Idle, WritingKeys, UpdatingSecrets, RollingParties, Finalizing, Failed. */
        public String phase = "Idle";
        /** Rotate or Rollback. */
        public String kind;
        public Integer fromVersion;
        public Integer toVersion;
        /** The party being rolled (1-based) in RollingParties. */
        public Integer party;
        public String partyStartedAt;
        public String startedAt;
        public String message;
    }

    /** A retired key version. */
    public static class RetiredVersion {
        public Integer version;
        public String retiredAt;

        public RetiredVersion() {
        }

        public RetiredVersion(int version, String retiredAt) {
            this.version = version;
            this.retiredAt = retiredAt;
        }
    }

    /**
     * A share refresh in progress (or the last one, when Idle or Failed). Keys are refreshed one
     * at a time, in the coordinator's key-id order; {@code after} is the last key done, so a
     * restarted operator goes on from the next one.
     */
    public static class ShareRefreshStatus {
        /** Idle, Refreshing, Failed. */
        public String phase = "Idle";
        public String startedAt;
        /** The last key whose refresh completed in this pass (null before the first). */
        public String after;
        /** The key being refreshed. */
        public String keyId;
        /** Its refresh session at the coordinator, once started. */
        public String sessionId;
        public String keyStartedAt;
        public Integer keysRefreshed;
        public String message;
    }
}
