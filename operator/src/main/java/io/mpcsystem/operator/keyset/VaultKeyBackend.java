package io.mpcsystem.operator.keyset;

import io.github.jopenlibs.vault.SslConfig;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.api.WriteOptions;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.github.jopenlibs.vault.response.DataMetadata;
import io.github.jopenlibs.vault.response.LogicalResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys in a HashiCorp Vault KV v2 mount, one secret per {@link KeyRef} at
 * {@code <mount>/<pathPrefix>/<KeyRef.path()>}, holding {@code key} (hex), {@code state} and, once
 * retired, {@code retiredAt}. Retiring writes a new KV version, so the active one stays in the
 * history until {@link #destroy} removes every version.
 */
public final class VaultKeyBackend implements KeyBackend {
    private static final Logger LOG = LoggerFactory.getLogger(VaultKeyBackend.class);

    static final String FIELD_KEY = "key";
    static final String FIELD_STATE = "state";
    static final String FIELD_RETIRED_AT = "retiredAt";
    static final String ACTIVE = "active";
    static final String RETIRED = "retired";

    private static final int HTTP_OK = 200;
    private static final int HTTP_NO_CONTENT = 204;
    private static final int HTTP_BAD_REQUEST = 400;
    private static final int HTTP_FORBIDDEN = 403;
    private static final int HTTP_NOT_FOUND = 404;

    private final VaultSettings settings;
    private final String mount;
    private final String prefix;
    private final VaultConfig config;
    private final Vault vault;
    private final Object loginLock = new Object();
    /** Guarded by loginLock; the driver reads the token from {@link #config} on every request. */
    private boolean haveToken;

    public VaultKeyBackend(VaultSettings settings) {
        this.settings = settings;
        this.mount = trimSlashes(settings.mount());
        this.prefix = settings.pathPrefix() == null ? "" : trimSlashes(settings.pathPrefix());
        if (mount.isEmpty()) throw new IllegalArgumentException("the KV v2 mount is empty");
        try {
            VaultConfig c = new VaultConfig()
                    .address(settings.address())
                    .engineVersion(2)
                    // the driver inserts data/, destroy/ after this many segments
                    .prefixPathDepth(mount.split("/").length);
            if (settings.caPem().isPresent()) {
                c.sslConfig(new SslConfig().pemUTF8(settings.caPem().get()).build());
            }
            if (settings.auth() instanceof VaultSettings.Token t) {
                c.token(t.token());
                haveToken = true;
            }
            this.config = c.build();
        } catch (VaultException e) {
            throw new BackendException("cannot configure the Vault client for " + settings.address() + statusOf(e), e);
        }
        // the two-argument create trusts engineVersion instead of reading sys/mounts, which the
        // operator's policy need not allow
        this.vault = Vault.create(config, 2);
    }

    @Override
    public PartyKey putIfAbsent(KeyRef ref, PartyKey candidate) {
        Optional<Stored> existing = load(ref, "reading");
        if (existing.isPresent()) return existing.get().key(ref);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(FIELD_KEY, candidate.hex());
        data.put(FIELD_STATE, ACTIVE);
        try {
            // cas=0: Vault only accepts the write if nothing is stored yet, so of two operators
            // racing on the same key exactly one wins and the other reads the winner's key
            call(ref, "writing", () -> succeeded(vault.logical().write(logicalPath(ref), data, null,
                    new WriteOptions().checkAndSet(0L).build())));
            return candidate;
        } catch (BackendException e) {
            if (!(e.getCause() instanceof VaultException ve) || ve.getHttpStatusCode() != HTTP_BAD_REQUEST) throw e;
            Optional<Stored> winner = load(ref, "reading");
            if (winner.isEmpty()) throw e;
            LOG.info("Key {} was stored concurrently; keeping the stored one", ref.path());
            return winner.get().key(ref);
        }
    }

    @Override
    public Optional<PartyKey> read(KeyRef ref) {
        return load(ref, "reading").map(s -> s.key(ref));
    }

    @Override
    public void retire(KeyRef ref, Instant at) {
        Stored current = load(ref, "reading").orElseThrow(() ->
                new BackendException("cannot retire " + ref.path() + ": no key stored in " + describe()));
        if (RETIRED.equals(current.data().get(FIELD_STATE))) return;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(FIELD_KEY, current.data().get(FIELD_KEY));
        data.put(FIELD_STATE, RETIRED);
        data.put(FIELD_RETIRED_AT, at.toString());
        // cas on the version just read, so a concurrent change is refused rather than overwritten
        call(ref, "retiring", () -> succeeded(vault.logical().write(logicalPath(ref), data, null,
                new WriteOptions().checkAndSet(current.version()).build())));
        LOG.info("Retired key {} in Vault", ref.path());
    }

    @Override
    public Optional<Instant> retiredAt(KeyRef ref) {
        return load(ref, "reading").flatMap(s -> {
            if (!RETIRED.equals(s.data().get(FIELD_STATE))) return Optional.empty();
            String when = s.data().get(FIELD_RETIRED_AT);
            try {
                if (when == null) throw new DateTimeParseException("missing", "", 0);
                return Optional.of(Instant.parse(when));
            } catch (DateTimeParseException e) {
                throw new BackendException("malformed retiredAt stored for " + ref.path() + " in " + describe());
            }
        });
    }

    @Override
    public void destroy(KeyRef ref) {
        Optional<Stored> current = load(ref, "reading");
        if (current.isEmpty()) return;
        long latest = current.get().version();
        if (latest < 1) throw new BackendException("Vault gave no version for " + ref.path() + "; not destroyed");
        int[] versions = IntStream.rangeClosed(1, Math.toIntExact(latest)).toArray();
        call(ref, "destroying", () -> succeeded(vault.logical().destroy(logicalPath(ref), versions)));
        LOG.info("Destroyed key {} in Vault (versions 1..{})", ref.path(), latest);
    }

    @Override
    public java.util.List<Integer> versions(String namespace, String keySet, int party) {
        KeyRef any = new KeyRef(namespace, keySet, party, 1);
        String folder = logicalPath(any);
        String partyFolder = folder.substring(0, folder.lastIndexOf('/'));
        LogicalResponse r = call(any, "listing", () -> {
            LogicalResponse x = vault.logical().list(partyFolder);
            return x.getRestResponse().getStatus() == HTTP_NOT_FOUND ? null : succeeded(x);
        });
        java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
        if (r != null && r.getListData() != null) {
            for (String k : r.getListData()) if (k.matches("v[0-9]{1,9}")) out.add(Integer.parseInt(k.substring(1)));
        }
        return java.util.List.copyOf(out);
    }

    @Override
    public String describe() {
        return "vault " + settings.address() + " (kv-v2 mount " + mount + (prefix.isEmpty() ? "" : ", prefix " + prefix) + ")";
    }

    @Override
    public String toString() {
        return "VaultKeyBackend[" + describe() + "]";
    }

    /** The path as the driver wants it: without {@code data/}, which it inserts for KV v2. */
    String logicalPath(KeyRef ref) {
        return mount + "/" + (prefix.isEmpty() ? "" : prefix + "/") + ref.path();
    }

    private Optional<Stored> load(KeyRef ref, String what) {
        LogicalResponse response = call(ref, what, () -> {
            LogicalResponse r = vault.logical().read(logicalPath(ref));
            return r.getRestResponse().getStatus() == HTTP_NOT_FOUND ? null : succeeded(r);
        });
        if (response == null) return Optional.empty();
        Map<String, String> data = response.getData();
        if (data == null || data.get(FIELD_KEY) == null) {
            throw new BackendException("no key field stored at " + ref.path() + " in " + describe());
        }
        DataMetadata meta = response.getDataMetadata();
        Long version = meta == null ? null : meta.getVersion();
        return Optional.of(new Stored(Map.copyOf(data), version == null ? 0 : version));
    }

    /**
     * The driver only throws for 5xx and 412; other 4xx answers (404, 403, a refused
     * check-and-set's 400) come back as ordinary responses, so each one is checked here.
     */
    private static LogicalResponse succeeded(LogicalResponse r) throws VaultException {
        int status = r.getRestResponse().getStatus();
        if (status != HTTP_OK && status != HTTP_NO_CONTENT) {
            throw new VaultException("Vault answered HTTP " + status, status);
        }
        return r;
    }

    private <T> T call(KeyRef ref, String what, VaultCall<T> op) {
        ensureToken(ref);
        try {
            return op.run();
        } catch (VaultException e) {
            if (e.getHttpStatusCode() == HTTP_FORBIDDEN && settings.auth() instanceof VaultSettings.Kubernetes) {
                // a Kubernetes-issued Vault token expires; one fresh login, then give up
                LOG.info("Vault refused the operator's token while {} {}; logging in again", what, ref.path());
                login(ref);
                try {
                    return op.run();
                } catch (VaultException again) {
                    throw failure(what, ref, again);
                }
            }
            throw failure(what, ref, e);
        }
    }

    private void ensureToken(KeyRef ref) {
        synchronized (loginLock) {
            if (!haveToken) login(ref);
        }
    }

    private void login(KeyRef ref) {
        if (!(settings.auth() instanceof VaultSettings.Kubernetes k)) return;
        String authMount = authMountPath(k);
        synchronized (loginLock) {
            try {
                AuthResponse auth = vault.auth().loginByKubernetes(k.role(), k.serviceAccountJwt().get(), authMount);
                String token = auth.getAuthClientToken();
                if (token == null || token.isEmpty()) {
                    throw new BackendException("Vault Kubernetes login (role " + k.role() + ", mount " + authMount + ") gave no client token");
                }
                config.token(token);
                haveToken = true;
            } catch (VaultException e) {
                throw new BackendException("Vault Kubernetes login (role " + k.role() + ", mount " + authMount
                        + ") failed" + statusOf(e) + " before accessing " + ref.path() + " in " + describe(), e);
            }
        }
    }

    /**
     * The driver posts to {@code /v1/<mount>/login} verbatim, so the mount must carry Vault's
     * {@code auth/} prefix; a KeySet names the auth method as Vault lists it ("kubernetes").
     */
    static String authMountPath(VaultSettings.Kubernetes k) {
        String m = k.mountPath() == null ? "" : trimSlashes(k.mountPath());
        if (m.isEmpty()) m = "kubernetes";
        return m.startsWith("auth/") ? m : "auth/" + m;
    }

    private BackendException failure(String what, KeyRef ref, VaultException e) {
        return new BackendException(what + " " + ref.path() + " failed" + statusOf(e) + " in " + describe(), e);
    }

    private static String statusOf(VaultException e) {
        int status = e.getHttpStatusCode();
        if (status > 0) return " (HTTP " + status + ")";
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return " (no HTTP answer: " + root.getClass().getSimpleName() + ")";
    }

    private static String trimSlashes(String s) {
        return Arrays.stream(s.split("/")).filter(p -> !p.isEmpty()).reduce((a, b) -> a + "/" + b).orElse("");
    }

    @FunctionalInterface
    private interface VaultCall<T> {
        T run() throws VaultException;
    }

    /** One KV version as read; {@code data} holds the key's hex, so this never leaves the class. */
    private record Stored(Map<String, String> data, long version) {
        PartyKey key(KeyRef ref) {
            try {
                return PartyKey.fromHex(data.get(FIELD_KEY));
            } catch (IllegalArgumentException e) {
                throw new BackendException("malformed key stored at " + ref.path());
            }
        }

        @Override
        public String toString() {
            return "Stored[version " + version + ", redacted]";
        }
    }
}
