package io.mpcsystem.cli.up;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** docker-compose.yml stays in step with what the services actually read from their environment. */
class ComposeFileTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

    private static Set<String> variablesReadBy(String module) throws Exception {
        String props = Files.readString(LocalClusterTest.home().resolve("workloads").resolve(module).resolve("src/main/resources/application.properties"));
        Set<String> out = new TreeSet<>();
        for (String line : props.lines().filter(l -> !l.startsWith("%")).toList()) {
            Matcher m = PLACEHOLDER.matcher(line);
            while (m.find()) out.add(m.group(1));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(Map<String, Object> compose, String service) {
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> svc = (Map<String, Object>) services.get(service);
        assertThat(svc).as("service %s in docker-compose.yml", service).isNotNull();
        return (Map<String, Object>) svc.get("environment");
    }

    @Test
    void everyVariableTheComposeFileSetsIsReadByItsService() throws Exception {
        Path file = LocalClusterTest.home().resolve("docker-compose.yml");
        Map<String, Object> compose = new Yaml().load(Files.readString(file));
        Map<String, String> moduleOf = Map.of("session-coordinator", "session-coordinator", "message-router", "message-router",
                "server-party-1", "server-party", "server-party-2", "server-party", "server-party-3", "server-party", "account-service", "account-service");
        for (var e : moduleOf.entrySet()) {
            Set<String> read = variablesReadBy(e.getValue());
            Set<String> set = environment(compose, e.getKey()).keySet();
            assertThat(read).as("variables %s sets for %s", file.getFileName(), e.getKey()).containsAll(set);
        }
    }

    @Test
    void everyPartyGetsItsOwnMasterKeyAndIdentity() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(LocalClusterTest.home().resolve("docker-compose.yml")));
        Set<Object> keys = new TreeSet<>();
        Set<Object> ids = new TreeSet<>();
        for (int i = 1; i <= 3; i++) {
            Map<String, Object> env = environment(compose, "server-party-" + i);
            keys.add(env.get("MPC_CRYPTO_MASTER_KEY"));
            ids.add(env.get("PARTY_ID"));
            assertThat(variablesReadBy("server-party")).contains("MPC_CRYPTO_MASTER_KEY", "PARTY_ID", "SESSION_COORDINATOR_ADDR", "MESSAGE_ROUTER_ADDR");
        }
        assertThat(keys).hasSize(3);
        assertThat(ids).hasSize(3);
    }
}
