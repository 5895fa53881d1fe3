package io.mpcsystem.proto;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * Presents a caller's bearer token to the coordinator ({@code authorization: Bearer ...}), which
 * grants each caller only its own rights (the account service: KEYGEN and SIGN; the operator:
 * REFRESH and the key list).
 */
public final class CallerToken implements ClientInterceptor {
    public static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final String header;

    public CallerToken(String token) {
        if (token == null || token.isBlank()) throw new IllegalArgumentException("no caller token is configured");
        this.header = "Bearer " + token.strip();
    }

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<A> listener, Metadata headers) {
                headers.put(AUTHORIZATION, header);
                super.start(listener, headers);
            }
        };
    }

    @Override
    public String toString() {
        return "CallerToken[redacted]";
    }
}
