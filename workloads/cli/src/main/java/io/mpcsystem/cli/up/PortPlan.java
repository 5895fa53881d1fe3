package io.mpcsystem.cli.up;

import java.util.List;

/**
 * Ports of the local cluster. The default is the seed guide's layout: coordinator 50051/8080,
 * router 50052/8081, account service 50054/8083, parties 8082, 8084, 8085, PostgreSQL 5432,
 * Redis 6379.
 */
public record PortPlan(int postgres, int redis, int coordinatorGrpc, int coordinatorHttp, int routerGrpc, int routerHttp,
                       int accountGrpc, int accountHttp, List<Integer> partyHttp) {
    public static PortPlan seedDefaults() {
        return new PortPlan(5432, 6379, 50051, 8080, 50052, 8081, 50054, 8083, List.of(8082, 8084, 8085));
    }
}
