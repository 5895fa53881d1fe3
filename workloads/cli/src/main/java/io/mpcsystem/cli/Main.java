package io.mpcsystem.cli;

import picocli.CommandLine;

/** Entry point of the {@code mpc} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(MpcCommand.commandLine().execute(args));
    }
}
