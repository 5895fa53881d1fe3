package io.mpcsystem.operator;

import io.mpcsystem.operator.crd.MpcCluster;

/** The minimal sample as a parsed MpcCluster, for tests in other packages. */
public final class DesiredStateTestAccess {
    private DesiredStateTestAccess() {
    }

    public static MpcCluster sample() throws Exception {
        return DesiredStateTest.sample();
    }
}
