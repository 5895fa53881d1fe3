package io.mpcsystem.account;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem body: what every error response carries instead of a stack trace.
 * {@code correlationId} (only on failures of the coordinator or the parties) names what the
 * service logged the cause under: the session id where there is one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String correlationId) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(String type, String title, int status, String detail) {
        this(type, title, status, detail, null);
    }
}
