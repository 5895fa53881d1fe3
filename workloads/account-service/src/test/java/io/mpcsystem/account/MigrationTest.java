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

/**
 * V2 and V3 on a database that V1 made and used: what existed belongs to tenant 'default', old
 * keys keep the rights they had (read and sign: no key could manage keys before V2), and only the
 * bootstrap key is an admin.
 */
class MigrationTest {
    @Test
    void existingKeysAndAccountsBecomeTenantDefaultWithTheScopesTheyHad() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            DataSource ds = pg.getPostgresDatabase();
            flyway(ds, "1").migrate();
            UUID key = UUID.randomUUID();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SET search_path TO account");
                s.execute("INSERT INTO api_keys (id, key_hash, label) VALUES ('" + key + "', decode(repeat('ab', 32), 'hex'), 'old')");
                s.execute("INSERT INTO api_keys (id, key_hash, label) VALUES ('" + UUID.randomUUID() + "', decode(repeat('ef', 32), 'hex'), 'bootstrap')");
                s.execute("INSERT INTO accounts (id, curve, protocol, key_id, public_key, created_by, keygen_session) VALUES ('"
                        + UUID.randomUUID() + "', 'ed25519', 'frost-ed25519', 'k1', decode('00', 'hex'), '" + key + "', 's1')");
            }

            flyway(ds, "latest").migrate();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SET search_path TO account");
                try (ResultSet rs = s.executeQuery("SELECT tenant, scopes::text FROM api_keys WHERE label = 'old'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("default");
                    assertThat(rs.getString(2)).as("V2 made it an admin; V3 gives back what it had").isEqualTo("{read,sign}");
                }
                try (ResultSet rs = s.executeQuery("SELECT scopes::text FROM api_keys WHERE label = 'bootstrap'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("{read,sign,admin}");
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
