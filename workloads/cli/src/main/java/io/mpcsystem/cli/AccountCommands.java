package io.mpcsystem.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Client commands against a running account service. */
final class AccountCommands {
    private AccountCommands() {
    }

    /** Options every client command shares. */
    static final class Connection {
        @Option(names = "--url", defaultValue = "${env:MPC_ACCOUNT_URL:-http://localhost:8083}", description = "account service (default ${DEFAULT-VALUE})")
        String url;

        @Option(names = "--api-key", defaultValue = "${env:MPC_API_KEY}", description = "API key (default: $MPC_API_KEY)")
        String apiKey;

        @Option(names = "--ca-file", defaultValue = "${env:MPC_TLS_CA_FILE}",
                description = "CA certificate (PEM) to verify an https account service, e.g. .mpc/tls/ca.crt after 'mpc up --tls'")
        java.nio.file.Path caFile;

        AccountClient client(CommandLine cl) {
            if (apiKey == null || apiKey.isBlank()) throw new CommandLine.ParameterException(cl, "an API key is needed: --api-key or MPC_API_KEY");
            if (caFile == null) return new AccountClient(url, apiKey);
            if (!java.nio.file.Files.isReadable(caFile)) throw new CommandLine.ParameterException(cl, "--ca-file " + caFile + " cannot be read");
            return new AccountClient(url, apiKey, io.mpcsystem.cli.up.LocalTls.trusting(caFile));
        }
    }

    @Command(name = "account", mixinStandardHelpOptions = true, description = "Manage accounts.", subcommands = Create.class)
    static final class Account implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates an account with a new 2-of-3 key.")
    static final class Create implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        Connection connection = new Connection();

        @Option(names = "--curve", defaultValue = "secp256k1", description = "secp256k1 (default) or ed25519")
        String curve;

        @Override
        public Integer call() {
            if (!curve.equals("secp256k1") && !curve.equals("ed25519")) throw new CommandLine.ParameterException(spec.commandLine(), "--curve must be secp256k1 or ed25519");
            spec.commandLine().getOut().println(connection.client(spec.commandLine()).createAccount(curve).toPrettyString());
            return 0;
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true, description = "Signs a 32-byte hash (secp256k1) or a message (ed25519) with an account's key.")
    static final class Sign implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @CommandLine.Mixin
        Connection connection = new Connection();

        @Option(names = "--account", required = true, description = "account id")
        String account;

        @Option(names = "--hash", description = "32-byte hash, 64 hex characters (secp256k1 accounts)")
        String hash;

        @Option(names = "--message", description = "message in hex (ed25519 accounts)")
        String message;

        @Override
        public Integer call() {
            if ((hash == null) == (message == null)) throw new CommandLine.ParameterException(spec.commandLine(), "give exactly one of --hash and --message");
            if (hash != null && !hash.matches("[0-9a-fA-F]{64}")) throw new CommandLine.ParameterException(spec.commandLine(), "--hash must be 64 hex characters");
            if (message != null && !message.matches("([0-9a-fA-F]{2})+")) throw new CommandLine.ParameterException(spec.commandLine(), "--message must be hex");
            AccountClient client = connection.client(spec.commandLine());
            spec.commandLine().getOut().println((hash != null ? client.signHash(account, hash) : client.signMessage(account, message)).toPrettyString());
            return 0;
        }
    }
}
