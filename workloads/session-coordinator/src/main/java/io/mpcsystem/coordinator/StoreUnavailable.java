package io.mpcsystem.coordinator;

import java.sql.SQLException;

/** The database failed; reported as UNAVAILABLE / 503 without SQL details. */
public final class StoreUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailable(SQLException cause) {
        super("session store unavailable (" + cause.getSQLState() + ")", cause);
    }
}
