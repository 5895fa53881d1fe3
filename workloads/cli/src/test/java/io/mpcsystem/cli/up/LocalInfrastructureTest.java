package io.mpcsystem.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real PostgreSQL and Redis servers from Maven's binaries, as `mpc up` starts them. */
class LocalInfrastructureTest {
    @Test
    void startsPostgresWithTheServiceDatabaseAndRedis(@TempDir Path dir) throws Exception {
        java.util.List<Integer> ports = PortPlan.freePorts(2);
        try (LocalInfrastructure infra = LocalInfrastructure.start(dir, ports.get(0), ports.get(1), Map.of())) {
            var e = infra.endpoints();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + e.dbHost() + ":" + e.dbPort() + "/" + e.dbName(), e.dbUser(), e.dbPassword());
                 ResultSet r = c.createStatement().executeQuery("SELECT current_user, current_database()")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("mpc_user");
                assertThat(r.getString(2)).isEqualTo("mpc_system");
            }
            try (Socket s = new Socket(e.redisHost(), e.redisPort())) {
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine()).isEqualTo("+PONG");
            }
            assertThat(e.env()).containsEntry("MPC_DATABASE_DBNAME", "mpc_system").containsKey("MPC_REDIS_PORT");
            // nobody gets in without a password, not even as the superuser
            for (String user : new String[] {"mpc_user", "postgres"}) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> DriverManager.getConnection(
                        "jdbc:postgresql://" + e.dbHost() + ":" + e.dbPort() + "/postgres", user, "")).isInstanceOf(java.sql.SQLException.class);
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> DriverManager.getConnection(
                        "jdbc:postgresql://" + e.dbHost() + ":" + e.dbPort() + "/postgres", user, "wrong")).isInstanceOf(java.sql.SQLException.class)
                        .hasMessageContaining("password authentication failed");
            }
        }
        // a second start on the same data directory finds the database again
        java.util.List<Integer> secondPorts = PortPlan.freePorts(2);
        try (LocalInfrastructure again = LocalInfrastructure.start(dir, secondPorts.get(0), secondPorts.get(1), Map.of())) {
            var e = again.endpoints();
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + e.dbPort() + "/mpc_system", "mpc_user", e.dbPassword())) {
                assertThat(c.isValid(2)).isTrue();
            }
        }
    }
}
