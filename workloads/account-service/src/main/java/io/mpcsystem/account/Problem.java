package io.mpcsystem.account;

/** An RFC 9457 problem body: what every error response carries instead of a stack trace. */
public record Problem(String type, String title, int status, String detail) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
