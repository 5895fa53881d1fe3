package io.mpcsystem.party.runtime;

import io.grpc.ManagedChannel;
import io.mpcsystem.proto.GrpcChannels;
import io.mpcsystem.keystore.KeyEncryptionKey;
import io.mpcsystem.keystore.KeyShareStore;
import io.mpcsystem.party.PartyAgent;
import io.mpcsystem.party.PartyBootstrap;
import io.mpcsystem.party.PartyShares;
import io.mpcsystem.party.PeerQuarantine;
import io.mpcsystem.party.RefreshCommit;
import io.mpcsystem.party.SessionAdmission;
import io.mpcsystem.party.SessionBudget;
import io.mpcsystem.party.SessionExecutor;
import io.mpcsystem.party.SessionLedger;
import io.mpcsystem.party.PeerPins;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Wires the party together at start-up and takes it down cleanly. */
@ApplicationScoped
public class PartyRuntime {
    private static final Logger LOG = Logger.getLogger(PartyRuntime.class);

    @ConfigProperty(name = "mpc.party.id")
    String partyId;
    @ConfigProperty(name = "mpc.coordinator.address")
    String coordinatorAddress;
    @ConfigProperty(name = "mpc.router.address")
    String routerAddress;
    /** MPC_TLS_CA_FILE: TLS to coordinator and router, verified against this CA, when set. */
    @ConfigProperty(name = "mpc.tls.ca-file")
    java.util.Optional<String> caFile;
    @ConfigProperty(name = "mpc.keyshare.dir")
    Path shareDir;
    @ConfigProperty(name = "mpc.keyshare.store")
    String shareStore;
    @ConfigProperty(name = "mpc.database.host")
    String dbHost;
    @ConfigProperty(name = "mpc.database.port")
    int dbPort;
    @ConfigProperty(name = "mpc.database.name")
    String dbName;
    @ConfigProperty(name = "mpc.database.user")
    String dbUser;
    @ConfigProperty(name = "mpc.database.password")
    Optional<String> dbPassword;
    @ConfigProperty(name = "mpc.crypto.master-key")
    Optional<String> masterKey;
    @ConfigProperty(name = "mpc.crypto.master-key-version")
    int masterKeyVersion;
    @ConfigProperty(name = "mpc.crypto.previous-master-key")
    Optional<String> previousMasterKey;
    @ConfigProperty(name = "mpc.crypto.previous-master-key-version")
    int previousMasterKeyVersion;
    @ConfigProperty(name = "mpc.party.parallel-sessions")
    int parallelSessions;
    /** MPC_PARTY_IDS: the provisioned parties, the only ones this party runs protocols with. */
    @ConfigProperty(name = "mpc.party.ids")
    Optional<java.util.List<String>> partyIds;
    /** MPC_REQUEST_VERIFY_KEY: the account service's request-signing public key, pinned. */
    @ConfigProperty(name = "mpc.request.verify-key")
    Optional<String> requestVerifyKey;
    /** Where the session ledger lives (MPC_STATE_DIR; by default beside the shares). */
    @ConfigProperty(name = "mpc.party.state-dir")
    Optional<Path> stateDir;
    /** MPC_PEER_REPIN: peers whose pinned identity keys are forgotten at this start (re-provisioning). */
    @ConfigProperty(name = "mpc.party.repin")
    Optional<java.util.List<String>> repin;

    /** Bounds on what the coordinator asks without a client's authorization (SessionBudget). */
    @ConfigProperty(name = "mpc.party.max-presignatures-per-key")
    int maxPresignaturesPerKey;
    @ConfigProperty(name = "mpc.party.max-presignatures")
    int maxPresignatures;
    @ConfigProperty(name = "mpc.party.max-refreshes-per-key-per-hour")
    int maxRefreshesPerKeyPerHour;
    @jakarta.inject.Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    private volatile KeyShareStore store;
    private volatile SessionLedger ledger;
    private volatile PartyAgent agent;
    private volatile int rewrappedAtStart;
    private ManagedChannel coordinatorChannel;
    private ManagedChannel routerChannel;

    void onStart(@Observes StartupEvent event) {
        PartyBootstrap.Started started;
        SecureRandom random;
        io.mpcsystem.proto.RequestAuthorizations.Verifier verifier;
        java.util.Set<String> provisioned;
        SessionBudget.Limits limits;
        try {
            limits = new SessionBudget.Limits(maxPresignaturesPerKey, maxPresignatures, maxRefreshesPerKeyPerHour);
            random = SecureRandom.getInstance("DRBG");
            verifier = io.mpcsystem.proto.RequestAuthorizations.Verifier.fromBase64(requestVerifyKey.orElseThrow(() -> new IllegalArgumentException(
                    "MPC_REQUEST_VERIFY_KEY is not set: give this party the account service's request-signing public key")));
            provisioned = java.util.Set.copyOf(partyIds.orElse(java.util.List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
            if (!provisioned.contains(partyId)) throw new IllegalArgumentException("MPC_PARTY_IDS must name the provisioned parties, this one (" + partyId + ") included");
            PartyBootstrap.Settings settings = settings();
            LOG.infof("starting %s", settings);
            started = PartyBootstrap.start(settings, random);
        } catch (PartyBootstrap.StartRefused | IllegalArgumentException | NoSuchAlgorithmException e) {
            // a clear line instead of a stack trace, then stop: a party must not run without its shares
            LOG.error(e.getMessage());
            Quarkus.asyncExit(2);
            return;
        }
        store = started.store();
        rewrappedAtStart = started.rewrapped();
        if (rewrappedAtStart > 0) LOG.infof("re-wrapped %d sealed items under key-encryption key version %d", rewrappedAtStart, store.currentKekVersion());
        if (started.presignaturesDiscarded() > 0) LOG.infof("discarded %d presignatures made before this start", started.presignaturesDiscarded());
        coordinatorChannel = GrpcChannels.open(coordinatorAddress, caFile.orElse(null));
        routerChannel = GrpcChannels.open(routerAddress, caFile.orElse(null));
        PartyShares partyShares = new PartyShares(store);
        PeerQuarantine quarantine = new PeerQuarantine(store);
        ledger = new SessionLedger(stateDir.orElse(shareDir).resolve("sessions.ledger"), Clock.systemUTC());
        io.micrometer.core.instrument.Gauge.builder("mpc_party_ledger_session_ids", ledger, SessionLedger::size)
                .description("session ids the party remembers (the last hour's)").register(metrics);
        SessionBudget budget = new SessionBudget(limits, Clock.systemUTC());
        io.micrometer.core.instrument.Gauge.builder("mpc_party_presignatures_held", partyShares, PartyShares::presignaturesHeld)
                .description("presignatures this party holds, all keys").register(metrics);
        io.micrometer.core.instrument.FunctionCounter.builder("mpc_party_sessions_refused", budget, SessionBudget::refusedPresignSessions)
                .tag("reason", "presignature_limit").description("PRESIGN sessions refused: the party held its limit").register(metrics);
        io.micrometer.core.instrument.FunctionCounter.builder("mpc_party_sessions_refused", budget, SessionBudget::refusedRefreshSessions)
                .tag("reason", "refresh_limit").description("REFRESH sessions refused: the key had its refreshes this hour").register(metrics);
        SessionAdmission admission = new SessionAdmission(verifier, new PeerPins(store, provisioned, started.identity(),
                java.util.Set.copyOf(repin.orElse(java.util.List.of()))), partyShares, budget, Clock.systemUTC());
        SessionExecutor executor = new SessionExecutor(started.identity(), partyShares, quarantine, admission, ledger, random, Clock.systemUTC());
        agent = new PartyAgent(started.identity(), executor, new RefreshCommit(partyShares, quarantine), coordinatorChannel, routerChannel, parallelSessions);
        agent.start();
    }

    private PartyBootstrap.Settings settings() {
        String key = masterKey.filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalArgumentException(
                "MPC_CRYPTO_MASTER_KEY is not set: give this party its key-encryption key (64 hex characters)"));
        KeyEncryptionKey current = KeyEncryptionKey.fromHex(masterKeyVersion, key);
        Optional<KeyEncryptionKey> previous = previousMasterKey.filter(s -> !s.isBlank())
                .map(p -> KeyEncryptionKey.fromHex(previousMasterKeyVersion, p));
        return switch (shareStore) {
            case "file" -> new PartyBootstrap.Settings(partyId, shareDir, current, previous);
            case "postgres" -> {
                org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
                ds.setServerNames(new String[] {dbHost});
                ds.setPortNumbers(new int[] {dbPort});
                ds.setDatabaseName(dbName);
                ds.setUser(dbUser);
                ds.setPassword(dbPassword.orElse(""));
                yield new PartyBootstrap.Settings(partyId, new io.mpcsystem.keystore.JdbcShareStorage(ds, partyId),
                        "postgresql://" + dbHost + ":" + dbPort + "/" + dbName, current, previous);
            }
            default -> throw new IllegalArgumentException("MPC_KEYSHARE_STORE must be file or postgres, not " + shareStore);
        };
    }

    void onStop(@Observes ShutdownEvent event) {
        if (agent != null) agent.close();
        if (ledger != null) ledger.close();
        for (ManagedChannel ch : new ManagedChannel[] {coordinatorChannel, routerChannel}) {
            if (ch == null) continue;
            ch.shutdown();
            try {
                ch.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public Optional<KeyShareStore> store() {
        return Optional.ofNullable(store);
    }

    public boolean connected() {
        return agent != null && agent.isConnected();
    }

    public String partyId() {
        return partyId;
    }

    public int rewrappedAtStart() {
        return rewrappedAtStart;
    }
}
