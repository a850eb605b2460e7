package io.tidemark.cli;

import io.tidemark.cli.LoopbackCluster.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.tidemark.cli.ClusterLogs.QUEUED;
import static io.tidemark.cli.ClusterLogs.awaitJob;
import static io.tidemark.cli.ClusterLogs.count;
import static io.tidemark.cli.ClusterLogs.read;
import static io.tidemark.cli.ClusterLogs.tail;
import static io.tidemark.cli.OutputDigest.assertSameRows;
import static io.tidemark.cli.OutputDigest.assertSameRowsInOrder;
import static io.tidemark.cli.RoleProcesses.exit;
import static io.tidemark.cli.RoleProcesses.signal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real cluster of separate JVMs started with {@code bin/tidemark} on loopback addresses and free
 * ports: a coordinator (no collector) on 127.0.0.1, a collector on 127.0.0.5 and three one-slot
 * workers on 127.0.0.2, .3, .4 (a worker that a test kills or pauses is replaced by one on the next
 * free address). Every cluster join must equal the embedded run of the same join, commit each shard
 * exactly once, and leave every worker's peak RSS (VmHWM) under its {@code --memory}.
 *
 * <p>The launcher and the shaded jar are copied into a private folder first, so a rebuild of
 * {@code cli/target} while this runs cannot pull classes from under the running JVMs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProcessIT
{
    private static final int ROWS = Integer.getInteger("tidemark.it.rows", 1_000_000);
    /**
     * How long a fetch may see no data before the worker counts the source as lost
     * (-Dtidemark.fetch-idle-timeout, 30 s by default); shorter here so the pause test stays short.
     */
    private static final int IDLE_TIMEOUT = Integer.getInteger("tidemark.it.fetch-idle-timeout", 10);
    private static final int WORKERS = 3;
    private static final String WORKER_MEMORY = "384m";
    private static final long WORKER_BUDGET = 384L << 20;
    private static final long JOIN_SECONDS = 150;

    @TempDir
    static Path temp;

    private static RoleProcesses processes;
    private static LoopbackCluster cluster;
    private static Path left;
    private static Path right;
    private static Path embedded;

    /** A worker seen running a shard, and the log line that said so. */
    /** A submitted join, its job, and a shard attempt that has started on some worker. */
    private record Victim(Process join, String job, Running running) {}

    private static Victim submitAndAwaitRunningShard(String name, Path out)
            throws Exception
    {
        int queued = count(cluster.coordinator().log(), QUEUED);
        Process join = processes.launch(name, joinArgs(out, "--shards", "3"));
        String job = awaitJob(cluster.coordinator().log(), queued);
        return new Victim(join, job, awaitRunningShard(job));
    }

    /** The victim's worker was declared lost, every shard committed once, and the victim's shard by a later attempt. */
    private static void assertLostAndRerun(Running victim, String job)
            throws Exception
    {
        assertTrue(read(cluster.coordinator().log()).contains("worker " + victim.worker().workerId() + " lost"));
        Map<Integer, List<Integer>> commits = assertCommittedOnce(job);
        assertNotEquals(victim.attempt(), commits.get(victim.shard()).get(0), "shard " + victim.shard() + " was not re-run");
    }

    private record Running(Node worker, int shard, int attempt, String line) {}

    @RegisterExtension
    static final TestWatcher TAILS = new TestWatcher()
    {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause)
        {
            System.err.println(processes == null ? "(no logs)" : ClusterLogs.tails(processes.logs()));
        }
    };

    @BeforeAll
    static void startCluster()
            throws Exception
    {
        Assumptions.assumeTrue(Files.isReadable(Paths.get("/proc/self/status")), "needs Linux (/proc, kill -STOP)");
        Assumptions.assumeTrue(RoleProcesses.canBind("127.0.0.2"), "cannot bind 127.0.0.2: loopback aliases are needed");
        processes = RoleProcesses.in(temp);
        Runtime.getRuntime().addShutdownHook(new Thread(processes::killAll));
        Path data = Files.createDirectories(temp.resolve("data"));
        left = data.resolve("logs.parquet");
        right = data.resolve("crawls.parquet");
        SampleData.write(left, right, ROWS, ROWS / 5, 42);

        cluster = LoopbackCluster.start(processes, temp, WORKERS, WORKER_MEMORY,
                Map.of("JDK_JAVA_OPTIONS", "-Dtidemark.fetch-idle-timeout=" + IDLE_TIMEOUT));
        // the embedded run of the same join, the reference, while the cluster forms
        embedded = data.resolve("embedded.parquet");
        Process reference = processes.launch("embedded", "join", left.toString(), right.toString(), "-o", embedded.toString(), "--on",
                "ts", "--by", "url", "--memory", "512m", "--quiet");
        assertEquals(0, exit(reference, 300), () -> "embedded join failed:\n" + tail(processes.log("embedded"), 20));
        cluster.awaitFormed();
    }

    @BeforeEach
    void fullCluster()
            throws Exception
    {
        Assumptions.assumeTrue(cluster != null, "no cluster");
        assertTrue(cluster.coordinator().process().isAlive() && cluster.collector().process().isAlive(),
                "the coordinator or the collector died");
        cluster.replaceLostWorkers();
        cluster.awaitFormed();
    }

    @AfterAll
    static void stopCluster()
    {
        if (processes == null) {
            return;
        }
        if (cluster != null) {
            for (Node n : cluster.nodes()) {
                processes.readPeak(n.name(), n.process());
            }
        }
        processes.killAll();
        System.err.println("ClusterProcessIT peak RSS (VmHWM): " + processes.describePeaks());
        processes.keepLogs(Paths.get("target", "cluster-process-it-logs"));
    }

    @Test
    @Order(1)
    void clusterOutputEqualsEmbeddedRun()
            throws Exception
    {
        Path single = temp.resolve("cluster.parquet");
        String job = joinOnCluster(single);
        assertCommittedOnce(job);
        assertSameRowsInOrder(embedded, single);

        Path dataset = temp.resolve("cluster-dataset");
        String dirJob = joinOnCluster(dataset, "--shards", "7");
        assertCommittedOnce(dirJob);
        assertTrue(Files.isRegularFile(dataset.resolve("_SUCCESS")), "no _SUCCESS in " + dataset);
        try (Stream<Path> parts = Files.list(dataset)) {
            assertTrue(parts.anyMatch(p -> p.getFileName().toString().startsWith("part-")), "no part files in " + dataset);
        }
        assertSameRows(embedded, dataset);
        assertWorkersWithinBudget();
    }

    @Test
    @Order(2)
    void killedWorkerMidShard()
            throws Exception
    {
        Path out = temp.resolve("after-kill.parquet");
        Victim v = submitAndAwaitRunningShard("join-kill", out);
        Process join = v.join();
        String job = v.job();
        Running victim = v.running();
        processes.readPeak(victim.worker().name(), victim.worker().process());
        victim.worker().process().destroyForcibly();   // SIGKILL: bin/tidemark execs java, so this is the JVM
        assertTrue(victim.worker().process().waitFor(10, TimeUnit.SECONDS));
        String after = read(victim.worker().log()).split(Pattern.quote(victim.line()), 2)[1];
        assertFalse(after.contains("shard " + victim.shard() + " attempt " + victim.attempt() + " shipped"),
                "the shard had already finished when its worker was killed; make the shards bigger");

        awaitJoin(join, "join-kill", job);
        assertLostAndRerun(victim, job);
        assertTrue(Files.isRegularFile(out));
        assertSameRowsInOrder(embedded, out);
        assertWorkersWithinBudget();
    }

    /**
     * A worker stopped with SIGSTOP mid-shard. Its Flight port still accepts connections, so shards
     * fetching its map output see no data; after {@link #IDLE_TIMEOUT} they fail with INPUT_LOST and
     * its map tasks run again elsewhere, while the cluster downs the paused member.
     */
    @Test
    @Order(3)
    void pausedWorker()
            throws Exception
    {
        Path out = temp.resolve("after-pause");
        Victim v = submitAndAwaitRunningShard("join-pause", out);
        Process join = v.join();
        String job = v.job();
        Running victim = v.running();
        Node paused = victim.worker();
        processes.readPeak(paused.name(), paused.process());
        signal("STOP", paused.process());
        try {
            awaitJoin(join, "join-pause", job);
            assertLostAndRerun(victim, job);
            assertTrue(Files.isRegularFile(out.resolve("_SUCCESS")), "no _SUCCESS in " + out);
            assertSameRows(embedded, out);
        }
        finally {
            signal("CONT", paused.process());
        }
        // the cluster downed it while it was stopped: once it runs again it learns so and exits by itself
        long resumed = System.nanoTime();
        boolean exited = paused.process().waitFor(45, TimeUnit.SECONDS);
        System.err.printf("ClusterProcessIT: %s exited %.1f s after SIGCONT%n", paused.name(), (System.nanoTime() - resumed) / 1e9);
        if (!exited) {
            paused.process().destroyForcibly();
        }
        assertTrue(exited, paused.name() + " still runs 45 s after SIGCONT although the cluster downed it");
        assertEquals(List.of(), cluster.collectorFiles(job), "the resumed worker left files of the published " + job + " at the collector");
        assertWorkersWithinBudget();
    }

    // ---- the joins

    private static String[] joinArgs(Path out, String... extra)
    {
        List<String> args = new ArrayList<>(List.of("join", left.toString(), right.toString(), "-o", out.toString(), "--on", "ts",
                "--by", "url", "--cluster", cluster.gateway(), "--memory", "256m", "--quiet"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** Runs a join on the cluster to {@code out}; returns its job id once it exited 0. */
    private static String joinOnCluster(Path out, String... extra)
            throws Exception
    {
        int queued = count(cluster.coordinator().log(), QUEUED);
        String name = "join-" + out.getFileName();
        Process join = processes.launch(name, joinArgs(out, extra));
        String job = awaitJob(cluster.coordinator().log(), queued);
        awaitJoin(join, name, job);
        return job;
    }

    /** The first worker seen running a shard of {@code job}. */
    private static Running awaitRunningShard(String job)
            throws Exception
    {
        Pattern running = Pattern.compile("running shard (\\d+) attempt (\\d+) of " + Pattern.quote(job));
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            for (Node w : cluster.workers()) {
                Matcher m = running.matcher(read(w.log()));
                if (m.find()) {
                    return new Running(w, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group());
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no worker ran a shard of " + job + " within 90 s");
    }

    /** Asserts the join exits 0 and that the collector kept nothing of the job once it is published. */
    private static void awaitJoin(Process join, String name, String job)
            throws Exception
    {
        int exit = exit(join, JOIN_SECONDS);
        System.err.printf("ClusterProcessIT: %s (%s) took %.1f s%n", name, job, processes.secondsSinceLaunch(join));
        assertEquals(0, exit, () -> "join failed:\n" + tail(processes.log(name), 20) + "the collector holds, for " + job + ": "
                + cluster.collectorFiles(job));
        assertEquals(List.of(), cluster.collectorFiles(job), "the collector kept files of published " + job);
    }

    // ---- commits, memory

    /** {@link ClusterLogs#assertCommittedOnce} in the coordinator's log. */
    private static Map<Integer, List<Integer>> assertCommittedOnce(String job)
            throws IOException
    {
        return ClusterLogs.assertCommittedOnce(read(cluster.coordinator().log()), job);
    }

    private static void assertWorkersWithinBudget()
    {
        for (Node w : cluster.workers()) {
            if (w.process().isAlive()) {
                processes.readPeak(w.name(), w.process());
            }
        }
        for (Map.Entry<String, Long> peak : processes.peaks().entrySet()) {
            if (peak.getKey().startsWith("worker-")) {
                assertTrue(peak.getValue() < WORKER_BUDGET, peak.getKey() + " peak RSS " + RoleProcesses.mib(peak.getValue())
                        + " is over its --memory " + WORKER_MEMORY + "; all: " + processes.describePeaks());
            }
        }
    }
}
