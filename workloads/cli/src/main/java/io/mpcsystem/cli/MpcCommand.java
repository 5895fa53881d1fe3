package io.mpcsystem.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mpc} command: usage errors exit with 2 and one line on stderr, failures with 1, never a stack trace. */
@Command(name = "mpc", mixinStandardHelpOptions = true, version = "mpc-system 0.1.0",
        description = "mpc-system: threshold (MPC) signing. No single machine ever holds a whole private key.",
        subcommands = {DemoCommand.class, BenchCommand.class, UpCommand.class, AccountCommands.Account.class, AccountCommands.Sign.class,
                LoadTestCommand.class,
                CommandLine.HelpCommand.class})
public final class MpcCommand implements Runnable {
    public static final int USAGE_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MpcCommand());
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("mpc: " + ex.getMessage() + " (see 'mpc " + commandPath(ex.getCommandLine()) + "--help')");
            err.flush();
            return USAGE_ERROR;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("mpc: " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()));
            err.flush();
            return 1;
        });
        return cl;
    }

    private static String commandPath(CommandLine cl) {
        String name = cl.getCommandName();
        return "mpc".equals(name) ? "" : name + " ";
    }
}
