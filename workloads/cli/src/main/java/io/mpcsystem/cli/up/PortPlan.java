package io.mpcsystem.cli.up;

import java.util.List;

/**
 * Ports of the local cluster. The default is the seed guide's layout: coordinator 50051/8080,
 * router 50052/8081, account service 50054/8083, parties 8082, 8084, 8085, PostgreSQL 5432,
 * Redis 6379.
 */
public record PortPlan(int postgres, int redis, int coordinatorGrpc, int coordinatorHttp, int routerGrpc, int routerHttp,
                       int accountGrpc, int accountHttp, List<Integer> partyHttp, List<Integer> management) {
    /** Management (metrics) ports, in this order: coordinator, router, account service, then the parties. */
    public PortPlan {
        if (management.size() != 3 + partyHttp.size()) throw new IllegalArgumentException("one management port per service");
    }

    /** The seed layout with metrics on 9090 (coordinator), 9091 (router), 9093 (account service), 9092, 9094, 9095 (parties). */
    public static PortPlan seedDefaults() {
        return new PortPlan(5432, 6379, 50051, 8080, 50052, 8081, 50054, 8083, List.of(8082, 8084, 8085), List.of(9090, 9091, 9093, 9092, 9094, 9095));
    }

    /** Ports the system is not using right now, for a run that must not clash with `mpc up`. */
    public static PortPlan free() {
        return new PortPlan(freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort(),
                List.of(freePort(), freePort(), freePort()), List.of(freePort(), freePort(), freePort(), freePort(), freePort(), freePort()));
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free port", e);
        }
    }

    public String coordinatorHttpUrl() {
        return "http://localhost:" + coordinatorHttp;
    }
}
