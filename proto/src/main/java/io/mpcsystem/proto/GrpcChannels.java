package io.mpcsystem.proto;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.io.File;
import java.io.IOException;

/**
 * Client channels to the coordinator and the router: TLS, verifying the server against the
 * cluster's CA, when a CA file is configured ({@code MPC_TLS_CA_FILE}); plaintext otherwise (local
 * runs, or a service mesh doing mTLS).
 */
public final class GrpcChannels {
    private GrpcChannels() {
    }

    public static ManagedChannel open(String target, String caFile) {
        return Grpc.newChannelBuilder(target, credentials(caFile)).build();
    }

    static ChannelCredentials credentials(String caFile) {
        if (caFile == null || caFile.isBlank()) return InsecureChannelCredentials.create();
        try {
            return TlsChannelCredentials.newBuilder().trustManager(new File(caFile)).build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the TLS CA certificate " + caFile + ": " + e.getMessage(), e);
        }
    }
}
