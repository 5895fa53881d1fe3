package io.mpcsystem.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Minimum, median and maximum of a set of durations, in milliseconds. */
public record TimingSummary(double min, double median, double max, int samples) {
    public static TimingSummary of(List<Double> millis) {
        if (millis.isEmpty()) throw new IllegalArgumentException("no samples");
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return new TimingSummary(sorted.get(0), median, sorted.get(n - 1), n);
    }
}
