package io.tidemark.cli;

import io.tidemark.engine.partition.Bytes;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.WorkerProtocol;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;

import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code tidemark coordinator|worker|collector}: one cluster role per process, until the process is
 * stopped (or, for a member the cluster has downed, until it leaves).
 */
final class RoleCommand
{
    static final String USAGE = String.join("\n",
            "usage: tidemark coordinator [--host H] [--port P] [--flight-port F] [--data-dir DIR] [--no-collector]",
            "       tidemark worker --join HOST:PORT [--host H] [--port P] [--memory SIZE] [--workers N] [--spill-dir DIR] [--flight-port F]",
            "       tidemark collector --join HOST:PORT --flight-port F --data-dir DIR [--host H] [--port P]",
            "  --host/--port        this member's cluster address (default 127.0.0.1, 25520 for the coordinator, any free port otherwise)",
            "  --join HOST:PORT     the coordinator's cluster address (its --host and --port)",
            "  --flight-port F      Arrow Flight: clients submit here (coordinator), shard output arrives here (collector),",
            "                       map outputs are served here (worker; default any free port)",
            "  --task-timeout SECS  a task attempt with no result after this long is re-run elsewhere (default 1800)");

    private static final Set<String> VALUED = Set.of("--host", "--port", "--flight-port", "--data-dir", "--join", "--memory", "--workers",
            "--spill-dir", "--task-timeout");
    private static final Set<String> FLAGS = Set.of("--no-collector", "--help");

    private RoleCommand() {}

    static int run(String[] argv, PrintStream err)
            throws Exception
    {
        Args args = new Args(argv, 1, VALUED, FLAGS);
        String role = argv[0];
        if (args.has("--help")) {
            err.println(USAGE);
            return 0;
        }
        String host = args.get("--host", "127.0.0.1");
        boolean seed = role.equals("coordinator");
        int port = (int) number(args.get("--port", seed ? "25520" : "0"), "--port");
        String join = args.get("--join");
        if (!seed && join == null) {
            throw Args.usage(role + " needs --join HOST:PORT (the coordinator's --host and --port)");
        }
        if (join != null) {
            try {
                FlightAddress.parse(join, "--join");
            }
            catch (io.tidemark.protocol.TidemarkException e) {
                throw Args.usage(e.getMessage());
            }
        }
        int flightPort = (int) number(args.get("--flight-port", seed ? "8815" : "0"), "--flight-port");
        long memory = args.has("--memory") ? Bytes.parse(args.get("--memory"), "--memory") : MemoryDefaults.defaultBudget();
        Duration timeout = Duration.ofSeconds(number(args.get("--task-timeout", "1800"), "--task-timeout"));
        if (port == 0) {
            port = freePort(host);
        }
        String seedAddress = seed ? host + ":" + port : join;
        List<String> roles = seed ? List.of(WorkerProtocol.COORDINATOR_ROLE) : List.of(role);
        ClusterNode node = ClusterNode.start(host, port, seedAddress, roles, true, timeout);
        explainExit(node, seedAddress, err);
        Roles started = new Roles();
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "tidemark-roles-stop"));
        switch (role) {
            case "coordinator": {
                Path data = args.has("--no-collector") ? null : Paths.get(args.get("--data-dir", System.getProperty("java.io.tmpdir") + "/tidemark-collector"));
                int f = started.coordinator(node, host, flightPort, data, (long) (memory * Roles.COLLECTOR_ARROW_SHARE)).port();
                err.println("tidemark: coordinator at " + host + ":" + port + ", clients submit to " + host + ":" + f
                        + (data == null ? "" : ", collector data in " + data));
                break;
            }
            case "collector": {
                if (!args.has("--data-dir") || !args.has("--flight-port")) {
                    throw Args.usage("collector needs --flight-port F and --data-dir DIR");
                }
                int f = started.collector(node, host, flightPort, Paths.get(args.get("--data-dir")),
                        (long) (memory * Roles.COLLECTOR_ARROW_SHARE)).port();
                err.println("tidemark: collector at " + host + ":" + port + ", shard output to Flight " + host + ":" + f);
                break;
            }
            case "worker": {
                int slots = (int) number(args.get("--workers", Integer.toString(Runtime.getRuntime().availableProcessors())), "--workers");
                Path spill = Paths.get(args.get("--spill-dir", System.getProperty("java.io.tmpdir")));
                FlightAddress at = started.worker(node, host, flightPort, spill, memory, slots, Duration.ofSeconds(
                        Long.getLong("tidemark.fetch-timeout", 120))).address();
                err.println("tidemark: worker at " + host + ":" + port + " (" + slots + " slots, " + Bytes.format(memory)
                        + "), map outputs served on " + at);
                break;
            }
            default:
                throw Args.usage("unknown role " + role);
        }
        node.system.getWhenTerminated().toCompletableFuture().join();
        started.close();
        return 0;
    }

    /** A one-line reason when the cluster ends this process (Pekko exits it with status 255 then). */
    private static void explainExit(ClusterNode node, String seed, PrintStream err)
    {
        CoordinatedShutdown shutdown = CoordinatedShutdown.get(node.system.classicSystem());
        shutdown.addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(), "tidemark-explain-exit", () -> {
            CoordinatedShutdown.Reason reason = shutdown.getShutdownReason().orElse(CoordinatedShutdown.unknownReason());
            if (reason == CoordinatedShutdown.clusterJoinUnsuccessfulReason()) {
                err.println("tidemark: error: could not join the cluster at " + seed + " (no answer from its coordinator); is it running there?");
            }
            else if (reason == CoordinatedShutdown.clusterDowningReason()) {
                err.println("tidemark: error: this member was removed from the cluster (unreachable too long); exiting");
            }
            exitWithin(Duration.ofSeconds(Long.getLong("tidemark.exit-timeout", 20)), err);
            return CompletableFuture.completedFuture(Done.getInstance());
        });
    }

    /**
     * Ends the process if its shutdown has not ended it within {@code limit}: a member the cluster
     * removed may hold a task blocked on a peer that is gone (a Flight call, a stream stage), and
     * then the actor system never terminates and Pekko never exits the JVM (seen after SIGSTOP and
     * SIGCONT under load). Halts without the shutdown hooks, which may be what waits.
     */
    private static void exitWithin(Duration limit, PrintStream err)
    {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
            }
            catch (InterruptedException e) {
                return;
            }
            err.println("tidemark: error: shutdown did not finish within " + limit.toSeconds() + " s; exiting now");
            err.flush();
            Runtime.getRuntime().halt(255);
        }, "tidemark-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    static long number(String text, String option)
    {
        try {
            return Long.parseLong(text.replace("_", ""));
        }
        catch (NumberFormatException e) {
            throw Args.usage(option + " " + text + ": not a whole number");
        }
    }

    static int freePort(String host)
            throws java.io.IOException
    {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }
}
