package io.mpcsystem.keystore;

import java.util.regex.Pattern;

/** Key ids and party ids name files and rows: a safe, bounded alphabet only. */
final class ShareIds {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private ShareIds() {
    }

    static String check(String what, String id) {
        if (id == null || !SAFE.matcher(id).matches()) {
            throw new IllegalArgumentException(what + " must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }
}
