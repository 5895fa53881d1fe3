package io.mpcsystem.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the parties' key-encryption keys live and how they rotate. */
@ValidationRule(value = "has(self.vault) == has(oldSelf.vault)", message = "the key backend cannot change: the keys live where they were created")
public class KeySetSpec {
    @JsonPropertyDescription("HashiCorp Vault (KV v2) holding the keys; without it the keys live in a Kubernetes Secret, for development only")
    public Vault vault;

    @JsonPropertyDescription("When keys rotate")
    public Rotation rotation = new Rotation();

    @JsonPropertyDescription("When the parties refresh their key shares (new shares, same public keys) through the coordinator")
    public ShareRefresh shareRefresh = new ShareRefresh();

    /** A Go-style duration such as 720h, 90m or 1h30m. */
    static final String DURATION = "^([0-9]+(h|m|s))+$";

    /** Vault settings. */
    @ValidationRule(value = "has(self.kubernetesAuth) != has(self.tokenSecret)", message = "set exactly one of vault.kubernetesAuth and vault.tokenSecret")
    @ValidationRule(value = "self.address == oldSelf.address && self.mount == oldSelf.mount && self.pathPrefix == oldSelf.pathPrefix",
            message = "the Vault location (address, mount, pathPrefix) is immutable: the keys live where they were created")
    public static class Vault {
        @Required
        @Pattern("^https://.+")
        @JsonPropertyDescription("Vault's address, https only, e.g. https://vault.vault.svc:8200; the operator also checks it against its allow-list (MPC_VAULT_ADDRESSES)")
        public String address;

        @Default("secret")
        @JsonPropertyDescription("Mount path of the KV v2 secrets engine")
        public String mount = "secret";

        @Default("mpc-system")
        @JsonPropertyDescription("Path below the mount; keys live at <mount>/data/<pathPrefix>/<namespace>/<keyset>/party-<i>/v<version>")
        public String pathPrefix = "mpc-system";

        @JsonPropertyDescription("Secret (same namespace) with key ca.crt: the CA of Vault's TLS certificate")
        public String caSecret;

        @JsonPropertyDescription("Log in with the operator's ServiceAccount through Vault's Kubernetes auth method")
        public KubernetesAuth kubernetesAuth;

        @JsonPropertyDescription("Secret (same namespace) with a Vault token under key 'token'; for development")
        public String tokenSecret;
    }

    /** Vault's Kubernetes auth method. */
    public static class KubernetesAuth {
        @Required
        public String role;

        @Default("kubernetes")
        public String mountPath = "kubernetes";
    }

    /** Rotation schedule and requests. */
    public static class Rotation {
        @Pattern(DURATION)
        @JsonPropertyDescription("Rotate the keys this often, e.g. 720h; no scheduled rotation when empty")
        public String every;

        @Pattern(DURATION)
        @Default("10m")
        @JsonPropertyDescription("How long one party may take to restart and re-wrap its shares before the rotation stops")
        public String partyTimeout = "10m";

        @Pattern(DURATION)
        @Default("168h")
        @JsonPropertyDescription("How long a retired key version is kept (for late rollbacks and restores) before it is destroyed")
        public String retiredKeyGracePeriod = "168h";
    }

    /** Share refresh schedule. */
    public static class ShareRefresh {
        @Pattern(DURATION)
        @JsonPropertyDescription("Refresh every key's shares this often, e.g. 2160h; no scheduled refresh when empty")
        public String every;

        @Pattern(DURATION)
        @Default("10m")
        @JsonPropertyDescription("How long the refresh of one key may take before the refresh stops")
        public String keyTimeout = "10m";
    }
}
