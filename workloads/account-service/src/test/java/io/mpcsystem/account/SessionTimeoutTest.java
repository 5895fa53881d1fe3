package io.mpcsystem.account;

import static io.mpcsystem.account.TestApi.assertProblem;
import static io.mpcsystem.account.TestApi.authorized;
import static io.mpcsystem.account.TestApi.createAccount;
import static io.mpcsystem.account.TestApi.sign;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A session that never ends is a 504 after mpc.accounts.timeout, and leaves no account. */
@QuarkusTest
@WithTestResource(MpcTestResources.class)
@TestProfile(SessionTimeoutTest.ShortTimeout.class)
class SessionTimeoutTest {
    public static class ShortTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // long enough for a real keygen on a loaded machine, short enough to keep the suite quick
            return Map.of("mpc.accounts.timeout", "3s");
        }
    }

    @Inject
    AgroalDataSource db;

    @InjectTestCoordinator
    TestCoordinator coordinator;

    @Test
    void stalledKeygenTimesOut() throws Exception {
        coordinator.next(SessionKind.KEYGEN, TestCoordinator.Behaviour.STALL);
        assertProblem(authorized().body(Map.of("curve", "ed25519")).post("/api/v1/accounts").then(), 504, "did not complete in time");
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM account.accounts");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
        assertThat(outcomes("KEYGEN")).isEqualTo("TIMED_OUT");
    }

    @Test
    void stalledSignTimesOut() throws Exception {
        String id = (String) createAccount("ed25519").get("id");
        coordinator.next(SessionKind.SIGN, TestCoordinator.Behaviour.STALL);
        assertProblem(sign(id, Map.of("message", "00")), 504, "did not complete in time");
        assertThat(outcomes("SIGN")).isEqualTo("TIMED_OUT");
    }

    private String outcomes(String operation) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT outcome FROM account.audit_log WHERE operation = ? ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, operation);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }
}
