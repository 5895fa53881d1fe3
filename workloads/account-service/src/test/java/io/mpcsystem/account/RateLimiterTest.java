package io.mpcsystem.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aKeyGetsItsBurstThenItsRate() {
        AtomicLong now = new AtomicLong(42);
        RateLimiter limiter = new RateLimiter(2, 3, now::get);
        UUID key = UUID.randomUUID();
        for (int i = 0; i < 3; i++) assertThat(limiter.tryAcquire(key)).isZero();
        long wait = limiter.tryAcquire(key);
        assertThat(wait).isEqualTo(SECOND / 2);
        now.addAndGet(SECOND / 2);
        assertThat(limiter.tryAcquire(key)).isZero();
        assertThat(limiter.tryAcquire(key)).isPositive();
        // a long pause refills up to the burst, not beyond
        now.addAndGet(3600 * SECOND);
        for (int i = 0; i < 3; i++) assertThat(limiter.tryAcquire(key)).isZero();
        assertThat(limiter.tryAcquire(key)).isPositive();
    }

    @Test
    void keysHaveTheirOwnBuckets() {
        RateLimiter limiter = new RateLimiter(1, 1, () -> 0);
        UUID a = UUID.randomUUID();
        assertThat(limiter.tryAcquire(a)).isZero();
        assertThat(limiter.tryAcquire(a)).isEqualTo(SECOND);
        assertThat(limiter.tryAcquire(UUID.randomUUID())).isZero();
    }

    @Test
    void nonsenseSettingsStopTheService() {
        assertThatThrownBy(() -> new RateLimiter(0, 10, System::nanoTime)).hasMessageContaining("MPC_RATE_LIMIT_PER_SECOND");
        assertThatThrownBy(() -> new RateLimiter(Double.NaN, 10, System::nanoTime)).hasMessageContaining("MPC_RATE_LIMIT_PER_SECOND");
        assertThatThrownBy(() -> new RateLimiter(5, 0, System::nanoTime)).hasMessageContaining("MPC_RATE_LIMIT_BURST");
    }
}
