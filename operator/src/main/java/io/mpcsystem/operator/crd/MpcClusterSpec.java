package io.mpcsystem.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * What an MpcCluster should look like. Kept as plain public fields: it is a wire format (the
 * CRD schema is generated from it), not behaviour.
 */
@ValidationRule(value = "!has(self.tls) || !self.tls || has(self.tlsSecret)", message = "tls needs tlsSecret")
@ValidationRule(value = "!has(self.certManager) || (has(self.tls) && self.tls)", message = "certManager needs tls")
@ValidationRule(value = "!has(oldSelf.keySetRef) || (has(self.keySetRef) && self.keySetRef == oldSelf.keySetRef)",
        message = "keySetRef cannot change once set: the parties' shares are sealed under that KeySet's keys")
public class MpcClusterSpec {
    @Required
    @JsonPropertyDescription("Container images of the workloads")
    public Images image = new Images();

    @Required
    @JsonPropertyDescription("The server parties: how many hold shares (n) and how many must sign (t)")
    public Parties parties = new Parties();

    @JsonPropertyDescription("Session coordinator")
    public Stateless coordinator = new Stateless();

    @JsonPropertyDescription("Message router")
    public Stateless router = new Stateless();

    @JsonPropertyDescription("Account service (the public API)")
    public AccountService accountService = new AccountService();

    @Required
    @JsonPropertyDescription("PostgreSQL used by the coordinator and the account service")
    public Database database = new Database();

    @Required
    @JsonPropertyDescription("Redis used by the coordinator and the router")
    public Redis redis = new Redis();

    @JsonPropertyDescription("Name of the KeySet (same namespace) holding the parties' key-encryption keys")
    public String keySetRef;

    @JsonPropertyDescription("DKLs23 presignatures the coordinator keeps for each key that signs (0 turns them off): a signature "
            + "served from the pool takes one step at each signer instead of four rounds through the router")
    @Min(0)
    @Max(100000)
    @Default("32")
    public Integer presignaturePoolSize = 32;

    @Pattern("^(TRACE|DEBUG|INFO|WARN|ERROR)$")
    @Default("INFO")
    @JsonPropertyDescription("LOG_LEVEL of every workload: TRACE, DEBUG, INFO, WARN or ERROR")
    public String logLevel = "INFO";

    @Pattern("^[a-z0-9][a-z0-9-]{0,62}$")
    @Default("production")
    @JsonPropertyDescription("ENVIRONMENT of every workload (a label for logs and metrics), e.g. production or staging")
    public String environment = "production";

    @JsonPropertyDescription("Serve gRPC and HTTP with TLS only, clients verifying peers against the CA in tlsSecret")
    @Default("false")
    public Boolean tls = false;

    @JsonPropertyDescription("kubernetes.io/tls Secret (same namespace) with tls.crt, tls.key and ca.crt, valid for the cluster's Service names; required when tls is on")
    public String tlsSecret;

    @JsonPropertyDescription("Have cert-manager issue tlsSecret (a Certificate for every name the cluster's clients use); needs tls and cert-manager")
    public CertManager certManager;

    @JsonPropertyDescription("Lock traffic down with NetworkPolicies (parties talk only to router, coordinator and database)")
    @Default("true")
    public Boolean networkPolicy = true;

    @JsonPropertyDescription("Create a Prometheus ServiceMonitor (only where that CRD is installed)")
    @Default("false")
    public Boolean serviceMonitor = false;

    /** A cert-manager Certificate for the cluster. */
    public static class CertManager {
        @Required
        @JsonPropertyDescription("Name of the cert-manager Issuer or ClusterIssuer")
        public String issuer;

        @Pattern("^(Issuer|ClusterIssuer)$")
        @Default("Issuer")
        public String issuerKind = "Issuer";

        @Default("2160h")
        @JsonPropertyDescription("Certificate lifetime, e.g. 2160h")
        public String duration = "2160h";

        @Default("360h")
        @JsonPropertyDescription("Renew this long before expiry; the pods roll onto the renewed certificate")
        public String renewBefore = "360h";
    }

    /** Images of the workloads. */
    public static class Images {
        @JsonPropertyDescription("Registry and repository prefix, e.g. ghcr.io/example/mpc-system")
        @Default("mpc-system")
        public String repository = "mpc-system";

        @Required
        @Pattern("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
        @JsonPropertyDescription("Image tag (the workloads' version)")
        public String tag;
    }

    /** The parties and their storage. */
    @ValidationRule(value = "self.threshold <= self.count", message = "threshold must not exceed count")
    @ValidationRule(value = "self.count == oldSelf.count", message = "parties.count is immutable: removing a party orphans its key shares "
            + "and an added party holds none; create a new cluster and move keys by resharing")
    @ValidationRule(value = "self.threshold == oldSelf.threshold", message = "parties.threshold is immutable: existing keys were created for it")
    public static class Parties {
        @Required
        @Min(2)
        @Max(255)
        @JsonPropertyDescription("Number of parties holding shares (n); at least 2")
        public Integer count;

        @Required
        @Min(1)
        @Max(255)
        @JsonPropertyDescription("Parties needed to sign (t), between 1 and count")
        public Integer threshold;

        @JsonPropertyDescription("Volume for each party's sealed shares")
        public Storage storage = new Storage();

        public ResourceRequirements resources;

        @JsonPropertyDescription("How party pods spread over nodes (or zones), so that losing one takes at most one share offline")
        public Spread spread = new Spread();
    }

    /** Spreading of the party pods. */
    public static class Spread {
        public static final String REQUIRED = "Required";
        public static final String PREFERRED = "Preferred";
        public static final String NONE = "None";

        @Pattern("^(Required|Preferred|None)$")
        @Default("Preferred")
        @JsonPropertyDescription("Required: never two parties in one topology domain (pods stay Pending otherwise); "
                + "Preferred: spread when possible; None: no rule")
        public String mode = PREFERRED;

        @Default("kubernetes.io/hostname")
        @JsonPropertyDescription("Node label naming the topology domain, e.g. kubernetes.io/hostname or topology.kubernetes.io/zone")
        public String topologyKey = "kubernetes.io/hostname";
    }

    /** A party's volume. */
    @ValidationRule(value = "self.size == oldSelf.size && has(self.storageClass) == has(oldSelf.storageClass) "
            + "&& (!has(self.storageClass) || self.storageClass == oldSelf.storageClass)",
            message = "parties.storage is immutable (a StatefulSet's volume claims cannot change); expand the PersistentVolumeClaims directly")
    public static class Storage {
        @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$")
        @Default("1Gi")
        @JsonPropertyDescription("Size as a Kubernetes quantity, e.g. 1Gi")
        public String size = "1Gi";

        @JsonPropertyDescription("Storage class; the cluster default when empty")
        public String storageClass;
    }

    /** A stateless component. */
    public static class Stateless {
        @Min(1)
        @Max(20)
        @Default("2")
        @JsonPropertyDescription("Replicas; changing it is always safe")
        public Integer replicas = 2;

        public ResourceRequirements resources;
    }

    /** The account service: a stateless component, plus its first admin API key. */
    public static class AccountService extends Stateless {
        @JsonPropertyDescription("Secret (same namespace) with key 'api-key': the first admin API key (MPC_BOOTSTRAP_API_KEY); "
                + "when empty the operator creates <cluster>-admin-api-key once and never overwrites it")
        public String adminApiKeySecret;
    }

    /** The database connection. */
    public static class Database {
        @Required
        public String host;

        @Min(1)
        @Max(65535)
        @Default("5432")
        public Integer port = 5432;

        @Default("mpc_system")
        public String name = "mpc_system";

        @Required
        @JsonPropertyDescription("Secret with keys 'username' and 'password'")
        public String credentialsSecret;
    }

    /** The Redis connection. */
    public static class Redis {
        @Required
        public String host;

        @Min(1)
        @Max(65535)
        @Default("6379")
        public Integer port = 6379;

        @JsonPropertyDescription("Secret with key 'password', if Redis needs one")
        public String credentialsSecret;
    }
}
