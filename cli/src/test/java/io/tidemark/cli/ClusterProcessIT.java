package io.tidemark.cli;

import io.tidemark.engine.io.InputFile;
import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.io.RowGroupReader;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
    static final Pattern COMMIT = Pattern.compile("commit request: shard (\\d+) attempt (\\d+) of (job-\\S+) -> (\\w+)");
    static final Pattern QUEUED = Pattern.compile("job (job-\\S+) queued: \\d+ map tasks, (\\d+) shards");

    @TempDir
    static Path temp;

    private static Path launcher;
    private static Path logs;
    private static Path left;
    private static Path right;
    private static Path embedded;
    private static int clusterPort;
    private static int flightPort;
    private static Node coordinator;
    private static Node collector;
    private static int nextWorkerIp = 2;
    private static final List<Node> workers = new ArrayList<>();
    /** Every process started, for the cleanup. */
    private static final List<Process> started = new ArrayList<>();
    private static final Map<Process, Long> launchedAt = new java.util.concurrent.ConcurrentHashMap<>();
    /** Peak RSS (VmHWM, bytes) of each role process, as last read. */
    private static final Map<String, Long> peaks = new LinkedHashMap<>();

    /** One role process: its name, cluster host, Flight port (workers: its id is worker@host:flight) and log. */
    private record Node(String name, String host, int flight, Process process, Path log)
    {
        String workerId()
        {
            return "worker@" + host + ":" + flight;
        }
    }

    @RegisterExtension
    static final TestWatcher TAILS = new TestWatcher()
    {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause)
        {
            System.err.println(tails());
        }
    };

    @BeforeAll
    static void startCluster()
            throws Exception
    {
        Assumptions.assumeTrue(Files.isReadable(Paths.get("/proc/self/status")), "needs Linux (/proc, kill -STOP)");
        Assumptions.assumeTrue(canBind("127.0.0.2"), "cannot bind 127.0.0.2: loopback aliases are needed");
        Runtime.getRuntime().addShutdownHook(new Thread(ClusterProcessIT::killAll));
        launcher = copyLauncher(temp.resolve("tidemark"));
        logs = Files.createDirectories(temp.resolve("logs"));
        Path data = Files.createDirectories(temp.resolve("data"));
        left = data.resolve("logs.parquet");
        right = data.resolve("crawls.parquet");
        SampleData.write(left, right, ROWS, ROWS / 5, 42);

        clusterPort = freePort("127.0.0.1");
        flightPort = freePort("127.0.0.1");
        coordinator = start("coordinator", "127.0.0.1", flightPort, "coordinator", "--host", "127.0.0.1", "--port",
                Integer.toString(clusterPort), "--flight-port", Integer.toString(flightPort), "--no-collector", "--memory", "512m");
        int collectorFlight = freePort("127.0.0.5");
        collector = start("collector", "127.0.0.5", collectorFlight, "collector", "--join", "127.0.0.1:" + clusterPort, "--host",
                "127.0.0.5", "--flight-port", Integer.toString(collectorFlight), "--data-dir", temp.resolve("collector").toString(),
                "--memory", "512m");
        addWorkers();
        // the embedded run of the same join, the reference, while the cluster forms
        embedded = data.resolve("embedded.parquet");
        Process reference = launch("embedded", "join", left.toString(), right.toString(), "-o", embedded.toString(), "--on", "ts",
                "--by", "url", "--memory", "512m", "--quiet");
        assertEquals(0, exit(reference, 300), () -> "embedded join failed:\n" + tail(logs.resolve("embedded.log"), 20));
        awaitCluster();
    }

    @BeforeEach
    void fullCluster()
            throws Exception
    {
        Assumptions.assumeTrue(coordinator != null, "no cluster");
        assertTrue(coordinator.process().isAlive() && collector.process().isAlive(), "the coordinator or the collector died");
        workers.removeIf(w -> !w.process().isAlive());
        addWorkers();
        awaitCluster();
    }

    @AfterAll
    static void stopCluster()
    {
        for (Node n : nodes()) {
            readPeak(n);
        }
        killAll();
        System.err.println("ClusterProcessIT peak RSS (VmHWM): " + describePeaks());
        keepLogs();
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
        int queued = count(coordinator.log(), QUEUED);
        Process join = launch("join-kill", joinArgs(out, "--shards", "3"));
        String job = awaitJob(queued);
        Running victim = awaitRunningShard(job);
        readPeak(victim.worker());
        victim.worker().process().destroyForcibly();   // SIGKILL: bin/tidemark execs java, so this is the JVM
        assertTrue(victim.worker().process().waitFor(10, TimeUnit.SECONDS));
        String after = read(victim.worker().log()).split(Pattern.quote(victim.line()), 2)[1];
        assertFalse(after.contains("shard " + victim.shard() + " attempt " + victim.attempt() + " shipped"),
                "the shard had already finished when its worker was killed; make the shards bigger");

        awaitJoin(join, "join-kill", job);
        assertTrue(read(coordinator.log()).contains("worker " + victim.worker().workerId() + " lost"));
        Map<Integer, List<Integer>> commits = assertCommittedOnce(job);
        assertNotEquals(victim.attempt(), commits.get(victim.shard()).get(0), "shard " + victim.shard() + " was not re-run");
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
        int queued = count(coordinator.log(), QUEUED);
        Process join = launch("join-pause", joinArgs(out, "--shards", "3"));
        String job = awaitJob(queued);
        Running victim = awaitRunningShard(job);
        Node paused = victim.worker();
        readPeak(paused);
        signal("STOP", paused.process());
        try {
            awaitJoin(join, "join-pause", job);
            assertTrue(read(coordinator.log()).contains("worker " + paused.workerId() + " lost"));
            Map<Integer, List<Integer>> commits = assertCommittedOnce(job);
            assertNotEquals(victim.attempt(), commits.get(victim.shard()).get(0), "shard " + victim.shard() + " was not re-run");
            assertTrue(Files.isRegularFile(out.resolve("_SUCCESS")), "no _SUCCESS in " + out);
            assertSameRows(embedded, out);
        }
        finally {
            signal("CONT", paused.process());
        }
        // the cluster downed it while it was stopped: once it runs again it learns so and exits by itself
        boolean exited = paused.process().waitFor(45, TimeUnit.SECONDS);
        if (!exited) {
            paused.process().destroyForcibly();
        }
        assertTrue(exited, paused.name() + " still runs 45 s after SIGCONT although the cluster downed it");
        assertEquals(List.of(), collectorFiles(job), "the resumed worker left files of the published " + job + " at the collector");
        assertWorkersWithinBudget();
    }

    // ---- the cluster

    private static void addWorkers()
            throws IOException
    {
        while (workers.size() < WORKERS) {
            int ip = nextWorkerIp++;
            if (ip == 5) {
                ip = nextWorkerIp++;   // the collector's
            }
            String host = "127.0.0." + ip;
            int flight = freePort(host);
            Path spill = Files.createDirectories(temp.resolve("spill-" + ip));
            workers.add(start("worker-" + ip, host, flight, "worker", "--join", "127.0.0.1:" + clusterPort, "--host", host,
                    "--flight-port", Integer.toString(flight), "--memory", WORKER_MEMORY, "--workers", "1", "--spill-dir", spill.toString()));
        }
    }

    /** Waits until the coordinator has heard from the collector and from every live worker. */
    private static void awaitCluster()
            throws Exception
    {
        long deadline = System.currentTimeMillis() + 90_000;
        while (true) {
            String log = read(coordinator.log());
            List<Node> missing = workers.stream().filter(w -> !log.contains("worker " + w.workerId() + " joined")).toList();
            if (missing.isEmpty() && log.contains("collector at 127.0.0.5:" + collector.flight())) {
                return;
            }
            for (Node n : nodes()) {
                assertTrue(n.process().isAlive(), () -> n.name() + " exited while the cluster formed:\n" + tail(n.log(), 30));
            }
            if (System.currentTimeMillis() > deadline) {
                fail("the cluster did not form in 90 s; not joined: " + missing + "\n" + tails());
            }
            Thread.sleep(200);
        }
    }

    private static Node start(String name, String host, int flight, String... args)
            throws IOException
    {
        return new Node(name, host, flight, launch(name, args), logs.resolve(name + ".log"));
    }

    /** Runs the private copy of bin/tidemark with {@code args}; stdout and stderr go to logs/NAME.log. */
    private static Process launch(String name, String... args)
            throws IOException
    {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile()).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        builder.environment().put("TMPDIR", temp.toString());
        if (args[0].equals("worker")) {
            builder.environment().put("JDK_JAVA_OPTIONS", "-Dtidemark.fetch-idle-timeout=" + IDLE_TIMEOUT);
        }
        Process p = builder.start();
        launchedAt.put(p, System.nanoTime());
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    private static String[] joinArgs(Path out, String... extra)
    {
        List<String> args = new ArrayList<>(List.of("join", left.toString(), right.toString(), "-o", out.toString(), "--on", "ts",
                "--by", "url", "--cluster", "127.0.0.1:" + flightPort, "--memory", "256m", "--quiet"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** Runs a join on the cluster to {@code out}; returns its job id once it exited 0. */
    private static String joinOnCluster(Path out, String... extra)
            throws Exception
    {
        int queued = count(coordinator.log(), QUEUED);
        String name = "join-" + out.getFileName();
        Process join = launch(name, joinArgs(out, extra));
        String job = awaitJob(queued);
        awaitJoin(join, name, job);
        return job;
    }

    /** The id of the job queued after the first {@code before} ones. */
    private static String awaitJob(int before)
            throws Exception
    {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = QUEUED.matcher(read(coordinator.log()));
            for (int i = 0; m.find(); i++) {
                if (i == before) {
                    return m.group(1);
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no job queued at the coordinator within 60 s");
    }

    /** A worker seen running a shard, and the log line that said so. */
    private record Running(Node worker, int shard, int attempt, String line) {}

    /** The first worker seen running a shard of {@code job}. */
    private static Running awaitRunningShard(String job)
            throws Exception
    {
        Pattern running = Pattern.compile("running shard (\\d+) attempt (\\d+) of " + Pattern.quote(job));
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            for (Node w : workers) {
                Matcher m = running.matcher(read(w.log()));
                if (m.find()) {
                    return new Running(w, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group());
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no worker ran a shard of " + job + " within 90 s");
    }

    private static List<Node> nodes()
    {
        List<Node> all = new ArrayList<>();
        if (coordinator != null) {
            all.add(coordinator);
        }
        if (collector != null) {
            all.add(collector);
        }
        all.addAll(workers);
        return all;
    }

    private static void killAll()
    {
        List<Process> all;
        synchronized (started) {
            all = new ArrayList<>(started);
        }
        for (Process p : all) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();   // SIGKILL ends a stopped process too
        }
        for (Process p : all) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void signal(String signal, Process p)
            throws Exception
    {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor());
    }

    /** Asserts the join exits 0 and that the collector kept nothing of the job once it is published. */
    private static void awaitJoin(Process join, String name, String job)
            throws Exception
    {
        int exit = exit(join, JOIN_SECONDS);
        System.err.printf("ClusterProcessIT: %s (%s) took %.1f s%n", name, job, (System.nanoTime() - launchedAt.get(join)) / 1e9);
        assertEquals(0, exit, () -> "join failed:\n" + tail(logs.resolve(name + ".log"), 20) + "the collector holds, for " + job + ": "
                + collectorFiles(job));
        assertEquals(List.of(), collectorFiles(job), "the collector kept files of published " + job);
    }

    /** What the collector's data folder holds for {@code job}, relative to it. */
    private static List<String> collectorFiles(String job)
    {
        Path data = temp.resolve("collector");
        Path dir = data.resolve(job);
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.map(p -> data.relativize(p).toString()).sorted().toList();
        }
        catch (IOException | java.io.UncheckedIOException e) {
            return List.of("(cannot list: " + e + ")");
        }
    }

    private static int exit(Process p, long seconds)
            throws InterruptedException
    {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("still running after " + seconds + " s: " + p.info().commandLine().orElse("?"));
        }
        return p.exitValue();
    }

    /** Copies the process logs to target/cluster-process-it-logs, where they outlive the temporary folder. */
    private static void keepLogs()
    {
        if (logs == null) {
            return;
        }
        Path kept = Paths.get("target", "cluster-process-it-logs");
        try (Stream<Path> files = Files.list(logs)) {
            Files.createDirectories(kept);
            for (Path log : files.toList()) {
                Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (IOException e) {
            System.err.println("cannot keep the logs: " + e);
        }
    }

    // ---- commits, memory

    /**
     * Asserts the job is DONE and each of its shards got exactly one COMMIT at the coordinator;
     * returns, per shard, the attempts that were told COMMIT.
     */
    private static Map<Integer, List<Integer>> assertCommittedOnce(String job)
            throws IOException
    {
        return assertCommittedOnce(read(coordinator.log()), job);
    }

    /** As above, in the coordinator's log text {@code log}. */
    static Map<Integer, List<Integer>> assertCommittedOnce(String log, String job)
    {
        assertTrue(log.contains("job " + job + " DONE"), "job " + job + " not DONE at the coordinator");
        Matcher q = QUEUED.matcher(log);
        int shards = -1;
        while (q.find()) {
            if (q.group(1).equals(job)) {
                shards = Integer.parseInt(q.group(2));
            }
        }
        Map<Integer, List<Integer>> commits = new HashMap<>();
        Matcher m = COMMIT.matcher(log);
        while (m.find()) {
            if (m.group(3).equals(job) && m.group(4).equals("COMMIT")) {
                commits.computeIfAbsent(Integer.parseInt(m.group(1)), b -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
            }
        }
        for (int b = 0; b < shards; b++) {
            List<Integer> attempts = commits.getOrDefault(b, List.of());
            assertEquals(1, attempts.size(), "shard " + b + " of " + job + " committed by attempts " + attempts);
        }
        assertEquals(shards, commits.size(), "commits for shards outside 0.." + (shards - 1) + ": " + commits.keySet());
        return commits;
    }

    private static void assertWorkersWithinBudget()
    {
        for (Node w : workers) {
            if (w.process().isAlive()) {
                readPeak(w);
            }
        }
        for (Map.Entry<String, Long> peak : peaks.entrySet()) {
            if (peak.getKey().startsWith("worker-")) {
                assertTrue(peak.getValue() < WORKER_BUDGET, peak.getKey() + " peak RSS " + mib(peak.getValue()) + " is over its --memory "
                        + WORKER_MEMORY + "; all: " + describePeaks());
            }
        }
    }

    /** Reads VmHWM of the node's JVM into {@link #peaks}. */
    private static void readPeak(Node n)
    {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(n.process().pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peaks.put(n.name(), Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        }
        catch (IOException e) {
            // exited meanwhile: keep the last reading
        }
    }

    private static String describePeaks()
    {
        StringBuilder s = new StringBuilder();
        peaks.forEach((name, bytes) -> s.append(s.length() == 0 ? "" : ", ").append(name).append(' ').append(mib(bytes)));
        return s.toString();
    }

    private static String mib(long bytes)
    {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    // ---- comparing outputs

    /** Row-for-row: same schema, same rows in the same order. */
    static void assertSameRowsInOrder(Path expected, Path actual)
    {
        assertEquals(InputTable.open(expected.toString()).schema(), InputTable.open(actual.toString()).schema());
        long[] want = rowHashes(expected);
        long[] got = rowHashes(actual);
        for (int i = 0; i < Math.min(want.length, got.length); i++) {
            if (want[i] != got[i]) {
                fail("row " + i + " differs: expected " + rowsMatching(expected, want[i]) + " but got " + rowsMatching(actual, got[i]));
            }
        }
        assertEquals(want.length, got.length, "row count of " + actual);
    }

    /** As multisets: same schema, same rows in any order (a dataset directory against one file). */
    static void assertSameRows(Path expected, Path actual)
    {
        assertEquals(InputTable.open(expected.toString()).schema(), InputTable.open(actual.toString()).schema());
        long[] want = rowHashes(expected);
        long[] got = rowHashes(actual);
        Arrays.sort(want);
        Arrays.sort(got);
        for (int i = 0; i < Math.min(want.length, got.length); i++) {
            if (want[i] != got[i]) {
                long missing = Math.min(want[i], got[i]);
                fail("row multisets differ (" + want.length + " rows expected, " + got.length + " got); for example expected "
                        + rowsMatching(expected, missing) + ", got " + rowsMatching(actual, missing));
            }
        }
        assertEquals(want.length, got.length, "row count of " + actual);
    }

    /** A 64-bit FNV-1a hash of each row's values, in file order. */
    private static long[] rowHashes(Path path)
    {
        List<Long> hashes = new ArrayList<>();
        forEachRow(path, row -> hashes.add(hash(row)));
        return hashes.stream().mapToLong(Long::longValue).toArray();
    }

    private static List<String> rowsMatching(Path path, long hash)
    {
        List<String> rows = new ArrayList<>();
        forEachRow(path, row -> {
            if (hash(row) == hash && rows.size() < 3) {
                rows.add(row);
            }
        });
        return rows;
    }

    private static long hash(String row)
    {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < row.length(); i++) {
            h = (h ^ row.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    /**
     * Each row of a Parquet file or dataset as text, one row group batch at a time (reading all
     * rows as objects, as ParquetRows does, would not fit the test JVM's heap at this size).
     */
    private static void forEachRow(Path path, Consumer<String> sink)
    {
        InputTable table = InputTable.open(path.toString());
        try (BufferAllocator allocator = new RootAllocator(); VectorSchemaRoot root = VectorSchemaRoot.create(table.schema(), allocator)) {
            for (InputFile file : table.files()) {
                for (int g = 0; g < file.footer().getBlocks().size(); g++) {
                    try (RowGroupReader reader = new RowGroupReader(file, g, table.schema())) {
                        while (reader.next(root, 8192) > 0) {
                            for (int r = 0; r < root.getRowCount(); r++) {
                                StringBuilder row = new StringBuilder();
                                for (int c = 0; c < root.getFieldVectors().size(); c++) {
                                    Object v = root.getVector(c).getObject(r);
                                    row.append(c == 0 ? "" : "\t").append(v instanceof byte[] ? Arrays.toString((byte[]) v) : String.valueOf(v));
                                }
                                sink.accept(row.toString());
                            }
                        }
                    }
                }
            }
            root.clear();
        }
    }

    // ---- small helpers

    /** Copies bin/tidemark and the shaded jar into {@code root}, laid out as the launcher expects; returns the launcher. */
    static Path copyLauncher(Path root)
            throws IOException
    {
        Path jar;
        try (Stream<Path> files = Files.list(Paths.get("target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("tidemark-cli-.*-all\\.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no shaded jar in cli/target: run mvn package first"));
        }
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("cli/target"));
        Files.copy(jar, root.resolve("cli/target").resolve(jar.getFileName()));
        Path bin = root.resolve("bin/tidemark");
        Files.copy(Paths.get("..", "bin", "tidemark"), bin, StandardCopyOption.COPY_ATTRIBUTES);
        return bin;
    }

    private static boolean canBind(String host)
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

    private static int freePort(String host)
            throws IOException
    {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    private static int count(Path log, Pattern pattern)
            throws IOException
    {
        Matcher m = pattern.matcher(read(log));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** A log as text; ISO-8859-1 reads any byte, so a stray one cannot fail the read. */
    private static String read(Path log)
            throws IOException
    {
        return Files.readString(log, StandardCharsets.ISO_8859_1);
    }

    private static String tails()
    {
        StringBuilder s = new StringBuilder();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path log : files.sorted().toList()) {
                s.append("==== ").append(log.getFileName()).append('\n').append(tail(log, 40));
            }
        }
        catch (IOException | RuntimeException e) {
            s.append("(cannot list logs: ").append(e).append(")\n");
        }
        return s.toString();
    }

    private static String tail(Path log, int lines)
    {
        try {
            List<String> all = read(log).lines().toList();
            StringBuilder s = new StringBuilder();
            for (String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
                s.append(line.length() > 400 ? line.substring(0, 400) + " ..." : line).append('\n');
            }
            return s.toString();
        }
        catch (IOException e) {
            return "(no log: " + e.getMessage() + ")\n";
        }
    }
}
