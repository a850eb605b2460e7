package io.tidemark.cli;

import io.tidemark.coordinator.Gateway;
import io.tidemark.coordinator.JobPlanner;
import io.tidemark.engine.JobSummary;
import io.tidemark.engine.JoinJob;
import io.tidemark.engine.MemoryBudget;
import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.partition.Bytes;
import io.tidemark.protocol.Direction;
import io.tidemark.protocol.How;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.NullKeys;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.Validate;

import java.io.PrintStream;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** {@code tidemark join LEFT RIGHT -o OUT [options]}: the options are named after pandas'. */
final class JoinCommand
{
    static final String USAGE = String.join("\n",
            "usage: tidemark join LEFT RIGHT -o OUT [options]",
            "  LEFT, RIGHT          a Parquet file, a directory of them, or a glob; any row order",
            "  -o OUT               OUT.parquet: one file ordered by (on, left input order); else a directory",
            "                       of part files and a _SUCCESS manifest",
            "  --on COL | --left-on COL --right-on COL      the time key (timestamp, date, int, float)",
            "  --by C1[,C2] | --left-by .. --right-by ..    match only rows with equal keys",
            "  --direction backward|forward|nearest         default backward",
            "  --tolerance V        250ms, 30s, 5m, 2h, 1d for temporal keys; a number otherwise (inclusive)",
            "  --no-exact-matches   a right row at the same time does not match",
            "  --how left|inner     keep unmatched left rows (default) or drop them",
            "  --suffixes _x,_y     for column names present on both sides",
            "  --exact              equality join on (on, by) instead of as-of, with",
            "    --validate one_to_one|one_to_many|many_to_one|many_to_many and --max-output-rows N",
            "  --null-keys match|never   NULL by keys match each other (pandas, default) or nothing (SQL)",
            "  --memory SIZE        peak memory of the whole process (default: half of the machine or cgroup)",
            "  --workers N          threads (default: cores)      --shards N   hash buckets (default: derived; backward joins: time ranges)",
            "  --spill-dir DIR      default: the system temp dir  --row-group-size SIZE (64m) --row-group-rows N (1000000)",
            "  --quiet              no progress, only the summary",
            "  --cluster local      (default) every cluster role in this process: coordinator, worker and collector",
            "  --cluster HOST:PORT  run on a cluster: submit to the coordinator's Flight port (see tidemark coordinator --help)",
            "  --cluster off        the engine on plain threads, without the roles (what --exact and --memory below 320m get)");

    private static final Set<String> VALUED = Set.of("-o", "--output", "--on", "--left-on", "--right-on", "--by", "--left-by",
            "--right-by", "--direction", "--tolerance", "--how", "--suffixes", "--validate", "--max-output-rows", "--null-keys",
            "--memory", "--workers", "--shards", "--spill-dir", "--row-group-size", "--row-group-rows", "--cluster");
    private static final Set<String> FLAGS = Set.of("--no-exact-matches", "--exact", "--quiet", "--help");

    private JoinCommand() {}

    static int run(String[] argv, PrintStream err)
            throws java.io.IOException
    {
        Args args = new Args(argv, 1, VALUED, FLAGS);
        if (args.has("--help")) {
            err.println(USAGE);
            return 0;
        }
        List<String> inputs = args.positional();
        if (inputs.size() != 2) {
            throw Args.usage("join needs LEFT and RIGHT inputs, got " + inputs.size() + " (see tidemark join --help)");
        }
        String out = args.get("-o", args.get("--output"));
        if (out == null) {
            throw Args.usage("join needs -o OUT (a .parquet file or a directory)");
        }
        JoinSpec spec;
        ResourceSpec resources;
        try {
            spec = spec(args);
            resources = resources(args);
        }
        catch (Args.UsageException e) {
            throw e;
        }
        catch (io.tidemark.protocol.TidemarkException e) {
            throw Args.usage(e.getMessage());   // a bad option value is a usage error: exit 2
        }
        String cluster = args.get("--cluster");
        if (cluster != null && !cluster.equals("local") && !cluster.equals("off")) {
            io.tidemark.protocol.cluster.FlightAddress at;
            try {
                at = io.tidemark.protocol.cluster.FlightAddress.parse(cluster, "--cluster");
            }
            catch (io.tidemark.protocol.TidemarkException e) {
                throw Args.usage(e.getMessage());
            }
            JobSummary summary = ClusterClient.run(at, spec, inputs.get(0), inputs.get(1), out, resources, args.has("--quiet"), err);
            err.println(Summary.line(summary, resources) + " (cluster at " + at + "; RSS is this client's)");
            return 0;
        }
        JobSummary summary = execute(spec, inputs.get(0), inputs.get(1), out, resources, cluster, args.has("--quiet"), err);
        err.println(Summary.line(summary, resources));
        return 0;
    }

    /** The least {@code --memory} the cluster roles run in: Pekko, gRPC and the JVM alone need about 200m (bin/tidemark says the same). */
    static final long ROLES_MIN_MEMORY = 320L << 20;

    /**
     * Runs a join on this machine. By default (and with {@code --cluster local}) every cluster role
     * runs in this JVM: the coordinator plans and schedules, the worker maps and reduces shards, the
     * collector commits them and writes the output, the same code as on a cluster. {@code --cluster
     * off}, an {@code --exact} join (the roles lack its global duplicate-key check) and a budget
     * below {@link #ROLES_MIN_MEMORY} run the same engine units on plain threads instead.
     */
    static JobSummary execute(JoinSpec spec, String left, String right, String out, ResourceSpec resources, String cluster, boolean quiet,
            PrintStream err)
            throws java.io.IOException
    {
        boolean local = "local".equals(cluster);
        if (local && spec.exact()) {
            throw Args.usage("--exact joins do not run on the cluster roles in this build; drop --cluster local");
        }
        if (local && resources.memoryBytes() < ROLES_MIN_MEMORY) {
            throw Args.usage("--cluster local needs --memory of at least 320m (Pekko, gRPC and the JVM alone need about 200m)");
        }
        if (local || (cluster == null && !spec.exact() && resources.memoryBytes() >= ROLES_MIN_MEMORY)) {
            long started = System.nanoTime();
            JobSummary s;
            // one worker, this process's: the coordinator may plan time ranges, unless --shards names hash buckets
            boolean timeRanges = resources.shards() == 0;
            // the shard count (opening the inputs) and the coordinator's plan (sampling them) are made while the
            // roles start, which need only the memory; the submit uses that plan
            CompletableFuture<Gateway.SubmitRequest> request = CompletableFuture.supplyAsync(() -> {
                try {
                    return ClusterClient.submitRequest(spec, left, right, out, withBuckets(spec, left, right, resources), timeRanges);
                }
                catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            CompletableFuture<JobPlanner.Planned> plan = request.thenApply(r -> JobPlanner.plan(r.spec(), r.left(), r.right(), r.output(),
                    r.resources(), timeRanges));
            try (EmbeddedCluster roles = new EmbeddedCluster(resources)) {
                Gateway.SubmitRequest sized = joined(request);   // an input that cannot be opened fails here, with its own error
                roles.prepare(sized, plan);
                s = ClusterClient.run(roles.door(), "in this process", spec, left, right, out, sized.resources(), timeRanges, quiet, err);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.tidemark.protocol.TidemarkException(io.tidemark.protocol.FailureKind.TRANSIENT, "interrupted", e);
            }
            // the time includes starting and stopping the roles
            return new JobSummary(s.output(), s.leftRows(), s.rightRows(), s.rowsOut(), s.matchedRows(), s.shards(), s.spilledBytes(),
                    (System.nanoTime() - started) / 1_000_000, s.arrowPeakBytes());
        }
        JoinJob job = new JoinJob(spec, left, right, Paths.get(out), resources);
        Progress progress = quiet ? null : Progress.start(job, err);
        try {
            return job.run();
        }
        finally {
            if (progress != null) {
                progress.stop();
            }
        }
    }

    /** The value of a future this thread needs, its failure rethrown as thrown. */
    private static <T> T joined(CompletableFuture<T> future)
    {
        try {
            return future.join();
        }
        catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw e;
        }
    }

    /** The embedded worker's memory is known here: shards as the direct path cuts buckets, unless {@code --shards} says. */
    private static ResourceSpec withBuckets(JoinSpec spec, String left, String right, ResourceSpec resources)
    {
        if (resources.shards() > 0) {
            return resources;
        }
        int buckets = JoinJob.buckets(spec, InputTable.open(left), InputTable.open(right), resources,
                new MemoryBudget(resources, Runtime.getRuntime().maxMemory()));
        return new ResourceSpec(resources.memoryBytes(), resources.workers(), buckets, resources.spillDir(), resources.rowGroupBytes(),
                resources.rowGroupRows());
    }

    static JoinSpec spec(Args args)
    {
        String on = args.get("--on");
        String leftOn = args.get("--left-on", on);
        String rightOn = args.get("--right-on", on);
        if (leftOn == null || rightOn == null) {
            throw Args.usage("join needs --on COL, or both --left-on and --right-on");
        }
        if (on != null && (args.has("--left-on") || args.has("--right-on"))) {
            throw Args.usage("use either --on or --left-on/--right-on, not both");
        }
        List<String> by = Args.list(args.get("--by"));
        List<String> leftBy = args.has("--left-by") ? Args.list(args.get("--left-by")) : by;
        List<String> rightBy = args.has("--right-by") ? Args.list(args.get("--right-by")) : by;
        if (!by.isEmpty() && (args.has("--left-by") || args.has("--right-by"))) {
            throw Args.usage("use either --by or --left-by/--right-by, not both");
        }
        if (args.has("--left-by") != args.has("--right-by")) {
            throw Args.usage("--left-by and --right-by go together");
        }
        List<String> suffixes = List.of(args.get("--suffixes", "_x,_y").split(",", -1));
        if (suffixes.size() != 2) {
            throw Args.usage("--suffixes needs two values separated by a comma, e.g. _x,_y");
        }
        boolean exact = args.has("--exact");
        if (!exact && (args.has("--validate") || args.has("--max-output-rows"))) {
            throw Args.usage("--validate and --max-output-rows apply to --exact joins only");
        }
        long maxRows = args.has("--max-output-rows") ? parseLong(args.get("--max-output-rows"), "--max-output-rows") : 0;
        return new JoinSpec(leftOn, rightOn, leftBy, rightBy,
                Direction.parse(args.get("--direction", "backward")),
                args.get("--tolerance"),
                !args.has("--no-exact-matches"),
                How.parse(args.get("--how", "left")),
                suffixes.get(0), suffixes.get(1),
                exact,
                Validate.parse(args.get("--validate", "many_to_many")),
                maxRows,
                NullKeys.parse(args.get("--null-keys", "match")));
    }

    static ResourceSpec resources(Args args)
    {
        long memory = args.has("--memory") ? Bytes.parse(args.get("--memory"), "--memory") : MemoryDefaults.defaultBudget();
        int workers = args.has("--workers") ? (int) parseLong(args.get("--workers"), "--workers") : Runtime.getRuntime().availableProcessors();
        int shards = args.has("--shards") ? (int) parseLong(args.get("--shards"), "--shards") : 0;
        String spill = args.get("--spill-dir", System.getProperty("java.io.tmpdir"));
        long rowGroupBytes = Bytes.parse(args.get("--row-group-size", "64m"), "--row-group-size");
        int rowGroupRows = (int) parseLong(args.get("--row-group-rows", "1000000"), "--row-group-rows");
        return new ResourceSpec(memory, workers, shards, spill, rowGroupBytes, rowGroupRows);
    }

    private static long parseLong(String text, String option)
    {
        try {
            return Long.parseLong(text.replace("_", "").replace(",", ""));
        }
        catch (NumberFormatException e) {
            throw Args.usage(option + " " + text + ": not a whole number");
        }
    }
}
