package io.tidemark.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The scenario of {@link ClusterProcessIT} in Docker containers on one network: a coordinator (no
 * collector), a collector and three workers, each in its own {@code eclipse-temurin:17-jre}
 * container with a memory limit, started with the same bin/tidemark and shaded jar. All of them see
 * the inputs, the outputs and the collector's folder in one host folder mounted at {@code /data}
 * (the cluster needs a shared disk, so this needs a Docker engine on this machine), and run as the
 * host user so the host can read and delete what they write. The coordinator's container also runs
 * the clients: the embedded reference join and the two cluster joins. Skipped when no Docker engine
 * is reachable.
 */
class ClusterContainersIT
{
    private static final DockerImageName JRE = DockerImageName.parse("eclipse-temurin:17-jre");
    private static final int ROWS = 300_000;
    private static final String TIDEMARK = "/data/tidemark/bin/tidemark";

    @TempDir
    static Path shared;

    private static Network network;
    private static final List<GenericContainer<?>> containers = new ArrayList<>();

    @AfterAll
    static void stopContainers()
    {
        for (int i = containers.size() - 1; i >= 0; i--) {
            containers.get(i).stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void clusterInContainersEqualsEmbeddedRun()
            throws Exception
    {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "no Docker engine: the containerized cluster is skipped");
        RoleProcesses.copyLauncher(shared.resolve("tidemark"));
        SampleData.write(shared.resolve("logs.parquet"), shared.resolve("crawls.parquet"), ROWS, ROWS / 5, 42);
        Files.createDirectories(shared.resolve("collector"));
        network = Network.newNetwork();

        GenericContainer<?> coordinator = role("coordinator", 1536, "coordinator", "--host", "coordinator", "--port", "25520",
                "--flight-port", "8815", "--no-collector", "--memory", "512m");
        coordinator.start();
        List<GenericContainer<?>> others = new ArrayList<>(List.of(role("collector", 768, "collector", "--join", "coordinator:25520",
                "--host", "collector", "--port", "25520", "--flight-port", "8816", "--data-dir", "/data/collector", "--memory", "512m")));
        for (int w = 1; w <= 3; w++) {
            // the container may use a little more than the process budget: the kernel enforces it, the test asserts the budget
            others.add(role("worker" + w, 512, "worker", "--join", "coordinator:25520", "--host", "worker" + w, "--port", "25520",
                    "--flight-port", "8817", "--memory", "384m", "--workers", "1", "--spill-dir", "/tmp"));
        }
        Startables.deepStart(others).join();
        awaitCluster(coordinator);

        run(coordinator, "join", "/data/logs.parquet", "/data/crawls.parquet", "-o", "/data/embedded.parquet", "--on", "ts", "--by", "url",
                "--memory", "512m", "--quiet");
        for (String out : List.of("cluster.parquet", "cluster-dataset")) {
            run(coordinator, "join", "/data/logs.parquet", "/data/crawls.parquet", "-o", "/data/" + out, "--on", "ts", "--by", "url",
                    "--cluster", "coordinator:8815", "--memory", "256m", "--quiet");
        }
        String log = coordinator.getLogs();
        Matcher queued = ClusterLogs.QUEUED.matcher(log);
        int jobs = 0;
        while (queued.find()) {
            ClusterLogs.assertCommittedOnce(log, queued.group(1));
            jobs++;
        }
        assertEquals(2, jobs, log);
        OutputDigest.assertSameRowsInOrder(shared.resolve("embedded.parquet"), shared.resolve("cluster.parquet"));
        assertTrue(Files.isRegularFile(shared.resolve("cluster-dataset/_SUCCESS")));
        OutputDigest.assertSameRows(shared.resolve("embedded.parquet"), shared.resolve("cluster-dataset"));
        for (int w = 1; w <= 3; w++) {
            assertPeakUnder(containers.get(1 + w), 384L << 20);
        }
    }

    /** A container running {@code bin/tidemark ARGS} as the host user, reachable on the network as {@code alias}. */
    private static GenericContainer<?> role(String alias, int memoryMiB, String... args)
            throws Exception
    {
        String user = Files.getAttribute(shared, "unix:uid") + ":" + Files.getAttribute(shared, "unix:gid");
        List<String> command = new ArrayList<>(List.of(TIDEMARK));
        command.addAll(List.of(args));
        GenericContainer<?> c = new GenericContainer<>(JRE)
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withFileSystemBind(shared.toString(), "/data", BindMode.READ_WRITE)
                .withEnv("TMPDIR", "/tmp")
                .withEnv("HOME", "/tmp")   // the host user may have no home in the image
                .withCommand(command.toArray(String[]::new))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withUser(user);
                    cmd.getHostConfig().withMemory((long) memoryMiB << 20).withMemorySwap((long) memoryMiB << 20);
                })
                .waitingFor(Wait.forLogMessage(".*tidemark: (coordinator|collector|worker) at .*", 1))
                .withStartupTimeout(Duration.ofMinutes(2));
        containers.add(c);
        return c;
    }

    private static void awaitCluster(GenericContainer<?> coordinator)
            throws InterruptedException
    {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            String log = coordinator.getLogs();
            if (log.contains("collector at collector:8816") && log.split(" joined \\(fragments at ", -1).length - 1 == 3) {
                return;
            }
            Thread.sleep(250);
        }
        fail("the cluster did not form in 90 s:\n" + logs());
    }

    private static void run(GenericContainer<?> in, String... args)
            throws Exception
    {
        List<String> command = new ArrayList<>(List.of(TIDEMARK));
        command.addAll(List.of(args));
        Container.ExecResult result = in.execInContainer(command.toArray(String[]::new));
        assertEquals(0, result.getExitCode(), () -> String.join(" ", args) + " failed: " + result.getStderr() + "\n" + logs());
    }

    /** VmHWM of the container's JVM (pid 1: bin/tidemark execs java) must stay under the budget. */
    private static void assertPeakUnder(GenericContainer<?> c, long budget)
            throws Exception
    {
        Container.ExecResult status = c.execInContainer("grep", "VmHWM", "/proc/1/status");
        long peak = Long.parseLong(status.getStdout().replaceAll("[^0-9]", "")) * 1024;
        System.err.printf("ClusterContainersIT: %s peak RSS %.1f MiB%n", c.getNetworkAliases(), peak / 1048576.0);
        assertTrue(peak < budget, c.getNetworkAliases() + " peak RSS " + peak + " over " + budget);
    }

    private static String logs()
    {
        StringBuilder s = new StringBuilder();
        for (GenericContainer<?> c : containers) {
            List<String> lines;
            try {
                lines = c.getLogs().lines().toList();
            }
            catch (RuntimeException e) {
                lines = List.of("(no logs: " + e.getMessage() + ")");
            }
            s.append("==== ").append(c.getNetworkAliases()).append('\n');
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> s.append(l).append('\n'));
        }
        return s.toString();
    }
}
