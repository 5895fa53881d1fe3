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
        List<Integer> p = freePorts(17);
        return new PortPlan(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4), p.get(5), p.get(6), p.get(7),
                p.subList(8, 11), p.subList(11, 17));
    }

    /**
     * Distinct free ports. All are held open until the last is chosen: asked one at a time, the
     * kernel may hand out the same port twice, and two services given one port make a health
     * check answer for the wrong service.
     */
    public static List<Integer> freePorts(int n) {
        List<java.net.ServerSocket> held = new java.util.ArrayList<>();
        try {
            List<Integer> ports = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                java.net.ServerSocket s = new java.net.ServerSocket(0);
                held.add(s);
                ports.add(s.getLocalPort());
            }
            return List.copyOf(ports);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free port", e);
        } finally {
            for (java.net.ServerSocket s : held) {
                try {
                    s.close();
                } catch (java.io.IOException ignored) {
                    // a listening socket that never accepted; nothing to recover
                }
            }
        }
    }

    public String coordinatorHttpUrl() {
        return "http://localhost:" + coordinatorHttp;
    }
}
