package io.mpcsystem.operator.keyset;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Kubernetes users write them (720h, 90m, 1h30m, 45s). */
public final class GoDuration {
    private static final Pattern WHOLE = Pattern.compile("^([0-9]+(h|m|s))+$");
    private static final Pattern PART = Pattern.compile("([0-9]+)(h|m|s)");

    private GoDuration() {
    }

    public static Duration parse(String field, String value) {
        if (value == null || !WHOLE.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be a duration such as 720h, 90m or 1h30m, is '" + value + "'");
        }
        Duration d = Duration.ZERO;
        Matcher m = PART.matcher(value);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
        }
        if (d.isZero()) throw new IllegalArgumentException(field + " must be longer than zero");
        return d;
    }
}
