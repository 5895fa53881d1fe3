package io.mpcsystem.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBucketGivesItsBurstThenItsRate() {
        AtomicLong now = new AtomicLong(42);
        RateLimiter limiter = new RateLimiter(2, 3, now::get);
        for (int i = 0; i < 3; i++) assertThat(limiter.tryAcquire("t", 1)).isZero();
        long wait = limiter.tryAcquire("t", 1);
        assertThat(wait).isEqualTo(SECOND / 2);
        now.addAndGet(SECOND / 2);
        assertThat(limiter.tryAcquire("t", 1)).isZero();
        assertThat(limiter.tryAcquire("t", 1)).isPositive();
        // a long pause refills up to the burst, not beyond
        now.addAndGet(3600 * SECOND);
        for (int i = 0; i < 3; i++) assertThat(limiter.tryAcquire("t", 1)).isZero();
        assertThat(limiter.tryAcquire("t", 1)).isPositive();
    }

    @Test
    void bucketsAreSeparateByNameAndARequestTakesWhatItCosts() {
        AtomicLong now = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(1, 5, now::get);
        assertThat(limiter.tryAcquire("a", 4)).isZero();
        assertThat(limiter.tryAcquire("a", 4)).as("one token left, four needed: three seconds").isEqualTo(3 * SECOND);
        assertThat(limiter.tryAcquire("a", 1)).as("a refused request takes nothing").isZero();
        assertThat(limiter.tryAcquire("b", 5)).isZero();
        assertThatThrownBy(() -> limiter.tryAcquire("c", 6)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTenantsKeysShareItsBucketAndAKeyGenerationCostsMore() {
        AtomicLong now = new AtomicLong(0);
        RequestLimits limits = new RequestLimits(1, 10, 8, 1, 2, now::get);
        assertThat(limits.forTenant("acme", true).await().indefinitely()).isZero();
        assertThat(limits.forTenant("acme", false).await().indefinitely()).isZero();
        assertThat(limits.forTenant("acme", false).await().indefinitely()).isZero();
        assertThat(limits.forTenant("acme", false).await().indefinitely()).as("8 + 1 + 1 of 10 used").isPositive();
        assertThat(limits.forTenant("acme", true).await().indefinitely()).isPositive();
        assertThat(limits.forTenant("other", true).await().indefinitely()).isZero();
        assertThat(limits.forUnauthenticated().await().indefinitely()).isZero();
        assertThat(limits.forUnauthenticated().await().indefinitely()).isZero();
        assertThat(limits.forUnauthenticated().await().indefinitely()).isPositive();
    }

    @Test
    void nonsenseSettingsStopTheService() {
        assertThatThrownBy(() -> new RateLimiter(0, 10, System::nanoTime)).hasMessageContaining("MPC_RATE_LIMIT_PER_SECOND");
        assertThatThrownBy(() -> new RateLimiter(Double.NaN, 10, System::nanoTime)).hasMessageContaining("MPC_RATE_LIMIT_PER_SECOND");
        assertThatThrownBy(() -> new RateLimiter(5, 0, System::nanoTime)).hasMessageContaining("MPC_RATE_LIMIT_BURST");
        assertThatThrownBy(() -> new RequestLimits(5, 10, 11, 1, 1, System::nanoTime)).hasMessageContaining("MPC_RATE_LIMIT_KEYGEN_COST");
        assertThatThrownBy(() -> new RequestLimits(5, 10, 2, 0, 1, System::nanoTime)).hasMessageContaining("MPC_RATE_LIMIT_UNAUTHENTICATED_PER_SECOND");
    }
}
