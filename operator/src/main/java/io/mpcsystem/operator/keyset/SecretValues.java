package io.mpcsystem.operator.keyset;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Text values in a Secret's {@code data}, which the API server keeps base64-encoded. */
final class SecretValues {
    private SecretValues() {
    }

    static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String data) {
        return new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8);
    }
}
