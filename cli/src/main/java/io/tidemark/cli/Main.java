package io.tidemark.cli;

import io.tidemark.protocol.Failures;
import io.tidemark.protocol.cluster.FlightTransport;

import java.io.PrintStream;

/** {@code tidemark COMMAND ...}: the one entry point of every role. */
public final class Main
{
    private static final String USAGE = String.join("\n",
            "usage: tidemark COMMAND [options]",
            "  join LEFT RIGHT -o OUT --on COL [--by COLS] ...   a bounded-memory as-of (or exact) join",
            "  demo [--rows N] [--dir DIR]                        generate sample logs and join them",
            "  coordinator | worker | collector [options]         run a cluster role (see tidemark worker --help)",
            "run 'tidemark join --help' for every join option");

    private Main() {}

    public static void main(String[] argv)
    {
        boolean role = argv.length > 0 && (argv[0].equals("coordinator") || argv[0].equals("worker") || argv[0].equals("collector"));
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("tidemark.log", role ? "info" : "error"));
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.pekko", role ? "warn" : "error");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.arrow", "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        org.slf4j.LoggerFactory.getILoggerFactory();   // initialize once, before threads log (no replay warnings)
        int code = run(argv, System.err);
        FlightTransport.shutdown();   // no network thread left waiting in the kernel: the JVM exits at once
        System.exit(code);
    }

    static int run(String[] argv, PrintStream err)
    {
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h") || argv[0].equals("help")) {
            err.println(USAGE);
            return argv.length == 0 ? 2 : 0;
        }
        try {
            switch (argv[0]) {
                case "join":
                    return JoinCommand.run(argv, err);
                case "demo":
                    return DemoCommand.run(argv, err);
                case "coordinator":
                case "worker":
                case "collector":
                    return RoleCommand.run(argv, err);
                default:
                    err.println("tidemark: unknown command " + argv[0]);
                    err.println(USAGE);
                    return 2;
            }
        }
        catch (Args.UsageException e) {
            err.println("tidemark: " + e.getMessage());
            return 2;
        }
        catch (Exception | OutOfMemoryError e) {
            err.println("tidemark: error: " + oneLine(e));
            if (System.getenv("TIDEMARK_DEBUG") != null) {
                e.printStackTrace(err);
            }
            return 1;
        }
    }

    private static String oneLine(Throwable e)
    {
        if (e instanceof OutOfMemoryError || e.getClass().getName().endsWith("OutOfMemoryException")) {
            return "ran out of memory inside the --memory budget (" + e.getMessage() + "); raise --memory or --shards";
        }
        return Failures.message(e).replace('\n', ' ');
    }
}
