package io.mpcsystem.account;

import java.util.HexFormat;

/** A request field that carries bytes as hex, with the length it must have; failures are 400s naming the field. */
public record HexField(String name, int minBytes, int maxBytes) {
    public byte[] decode(String value) {
        if (value == null) throw ApiProblem.badRequest("field '" + name + "' is required");
        String hex = value.startsWith("0x") || value.startsWith("0X") ? value.substring(2) : value;
        if (hex.length() % 2 != 0 || !hex.chars().allMatch(HexField::isHexDigit)) {
            throw ApiProblem.badRequest("field '" + name + "' must be hex (an even number of 0-9, a-f)");
        }
        int bytes = hex.length() / 2;
        if (bytes < minBytes || bytes > maxBytes) {
            throw ApiProblem.badRequest("field '" + name + "' must be "
                    + (minBytes == maxBytes ? "exactly " + minBytes : minBytes + " to " + maxBytes)
                    + " bytes, got " + bytes);
        }
        return HexFormat.of().parseHex(hex);
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
