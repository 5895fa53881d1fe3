package io.mpcsystem.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** V2 on a database that V1 made and used: what existed belongs to tenant 'default', and old keys keep every right. */
class MigrationTest {
    @Test
    void existingKeysAndAccountsBecomeTenantDefaultWithAllScopes() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            DataSource ds = pg.getPostgresDatabase();
            flyway(ds, "1").migrate();
            UUID key = UUID.randomUUID();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SET search_path TO account");
                s.execute("INSERT INTO api_keys (id, key_hash, label) VALUES ('" + key + "', decode(repeat('ab', 32), 'hex'), 'old')");
                s.execute("INSERT INTO accounts (id, curve, protocol, key_id, public_key, created_by, keygen_session) VALUES ('"
                        + UUID.randomUUID() + "', 'ed25519', 'frost-ed25519', 'k1', decode('00', 'hex'), '" + key + "', 's1')");
            }

            flyway(ds, "latest").migrate();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SET search_path TO account");
                try (ResultSet rs = s.executeQuery("SELECT tenant, scopes::text FROM api_keys")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("default");
                    assertThat(rs.getString(2)).isEqualTo("{read,sign,admin}");
                }
                try (ResultSet rs = s.executeQuery("SELECT tenant FROM accounts")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("default");
                }
                // new rows must name their tenant and scopes, and only known scopes
                assertThatThrownBy(() -> s.execute("INSERT INTO api_keys (id, key_hash, label) VALUES ('" + UUID.randomUUID()
                        + "', decode(repeat('cd', 32), 'hex'), 'new')")).isInstanceOf(SQLException.class);
                assertThatThrownBy(() -> s.execute("INSERT INTO api_keys (id, key_hash, label, tenant, scopes) VALUES ('" + UUID.randomUUID()
                        + "', decode(repeat('cd', 32), 'hex'), 'new', 'x', ARRAY['root'])")).isInstanceOf(SQLException.class);
            }
        }
    }

    private static Flyway flyway(DataSource ds, String target) {
        return Flyway.configure().dataSource(ds).schemas("account").locations("classpath:db/migration/account").target(target).load();
    }
}
