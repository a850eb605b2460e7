package io.tidemark.cli;

import io.tidemark.engine.JoinJob;
import io.tidemark.engine.ParquetRows;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.WorkerProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A whole cluster as separate actor systems in one JVM, talking over Artery TCP and Flight on
 * loopback: a coordinator with its collector and two workers (each with its own spill folder and
 * Flight server). Jobs submitted through the coordinator's Flight door must give the embedded run's
 * rows; a worker leaving mid-job must not change them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterInJvmTest
{
    @TempDir
    static Path temp;

    private final List<ClusterNode> nodes = new ArrayList<>();
    private final List<Roles> roles = new ArrayList<>();
    private FlightAddress door;
    private Path left;
    private Path right;

    @BeforeAll
    void startCluster()
            throws Exception
    {
        left = temp.resolve("left.parquet");
        right = temp.resolve("right.parquet");
        SampleData.write(left, right, 120_000, 30_000, 42);
        int seedPort = RoleCommand.freePort("127.0.0.1");
        ClusterNode seed = ClusterNode.start("127.0.0.1", seedPort, "127.0.0.1:" + seedPort, List.of(WorkerProtocol.COORDINATOR_ROLE), false,
                Duration.ofMinutes(5));
        nodes.add(seed);
        Roles seedRoles = new Roles();
        roles.add(seedRoles);
        int flight = seedRoles.coordinator(seed, "127.0.0.1", 0, temp.resolve("collector"), (long) ((256L << 20) * Roles.COLLECTOR_ARROW_SHARE)).port();
        door = new FlightAddress("127.0.0.1", flight);
        for (int w = 0; w < 3; w++) {
            startWorker(seedPort, w);
        }
    }

    private void startWorker(int seedPort, int w)
            throws Exception
    {
        ClusterNode node = ClusterNode.start("127.0.0.1", RoleCommand.freePort("127.0.0.1"), "127.0.0.1:" + seedPort, List.of("worker"), false,
                Duration.ofMinutes(5));
        nodes.add(node);
        Roles r = new Roles();
        roles.add(r);
        r.worker(node, "127.0.0.1", 0, temp.resolve("spill-" + w), 256L << 20, 1, Duration.ofSeconds(30));
    }

    @AfterAll
    void stopCluster()
    {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        roles.forEach(Roles::close);
    }

    private static ResourceSpec resources(Path spill, int shards)
    {
        return new ResourceSpec(512L << 20, 2, shards, spill.toString(), 1 << 20, 50_000);
    }

    private Path embedded(JoinSpec spec, String name)
    {
        Path out = temp.resolve(name);
        new JoinJob(spec, left.toString(), right.toString(), out, resources(temp, 0)).run();
        return out;
    }

    @Test
    void singleFileAndDatasetOutputsEqualTheEmbeddedRun()
    {
        JoinSpec spec = JoinSpec.asof("ts", List.of("url"));
        Path expected = embedded(spec, "embedded.parquet");
        Path file = temp.resolve("cluster.parquet");
        ClusterClient.run(door, spec, left.toString(), right.toString(), file.toString(), resources(temp, 6), true, quiet());
        assertThat(ParquetRows.read(file.toString()).rows()).isEqualTo(ParquetRows.read(expected.toString()).rows());

        Path dir = temp.resolve("cluster-dir");
        ClusterClient.run(door, spec, left.toString(), right.toString(), dir.toString(), resources(temp, 5), true, quiet());
        assertThat(dir.resolve("_SUCCESS")).exists();
        assertThat(sorted(datasetRows(dir))).isEqualTo(sorted(ParquetRows.read(expected.toString()).rows()));
    }

    @Test
    void forwardWithToleranceAndNoByKey()
    {
        JoinSpec spec = new JoinSpec("ts", "ts", List.of(), List.of(), io.tidemark.protocol.Direction.FORWARD, "1s", true,
                io.tidemark.protocol.How.LEFT, "_x", "_y", false, io.tidemark.protocol.Validate.MANY_TO_MANY, 0, io.tidemark.protocol.NullKeys.MATCH);
        Path expected = embedded(spec, "embedded-forward.parquet");
        Path file = temp.resolve("cluster-forward.parquet");
        ClusterClient.run(door, spec, left.toString(), right.toString(), file.toString(), resources(temp, 0), true, quiet());
        assertThat(ParquetRows.read(file.toString()).rows()).isEqualTo(ParquetRows.read(expected.toString()).rows());
    }

    @Test
    void badInputFailsWithTheLocalMessageAndWritesNothing()
    {
        JoinSpec spec = JoinSpec.asof("no_such_column", List.of("url"));
        Path file = temp.resolve("never.parquet");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        ClusterClient.run(door, spec, left.toString(), right.toString(), file.toString(), resources(temp, 0), true, quiet()))
                .hasMessageContaining("left.parquet").hasMessageContaining("no_such_column");
        assertThat(file).doesNotExist();
    }

    /**
     * A status asked with {@code waitMillis} answers when the job ends, or after that long if it
     * has not: an answer of a running job never comes sooner; the last answer is the end itself.
     */
    @Test
    void statusWaitsForTheEndOrTheInterval()
            throws Exception
    {
        JoinSpec spec = JoinSpec.asof("ts", List.of("url"));
        Path file = temp.resolve("cluster-waited.parquet");
        try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator(16L << 20);
                org.apache.arrow.flight.FlightClient client = io.tidemark.protocol.cluster.FlightTransport.client(allocator,
                        org.apache.arrow.flight.Location.forGrpcInsecure(door.host(), door.port()))) {
            byte[] submit = ClusterClient.submitBody(spec, left.toString(), right.toString(), file.toString(), resources(temp, 4), false);
            String job = (String) io.tidemark.coordinator.Gateway.JSON.readValue(action(client, "submit", submit), java.util.Map.class).get("job");
            byte[] query = io.tidemark.coordinator.Gateway.JSON.writeValueAsBytes(java.util.Map.of("job", job, "waitMillis", 300));
            io.tidemark.protocol.cluster.JobStatus status;
            int answers = 0;
            do {
                long asked = System.nanoTime();
                status = io.tidemark.coordinator.Gateway.JSON.readValue(action(client, "status", query), io.tidemark.protocol.cluster.JobStatus.class);
                long tookMillis = (System.nanoTime() - asked) / 1_000_000;
                if (!status.finished()) {
                    assertThat(tookMillis).isGreaterThanOrEqualTo(300);
                }
                answers++;
            }
            while (!status.finished() && answers < 1000);
            assertThat(status.state()).isEqualTo("DONE");
            assertThat(file).exists();
            // a job the coordinator does not know has ended: answered without waiting out the interval
            byte[] unknown = io.tidemark.coordinator.Gateway.JSON.writeValueAsBytes(java.util.Map.of("job", "job-unknown", "waitMillis", 1000));
            assertThat(io.tidemark.coordinator.Gateway.JSON.readValue(action(client, "status", unknown), io.tidemark.protocol.cluster.JobStatus.class)
                    .finished()).isTrue();
        }
    }

    private static byte[] action(org.apache.arrow.flight.FlightClient client, String name, byte[] body)
    {
        java.util.Iterator<org.apache.arrow.flight.Result> results = client.doAction(new org.apache.arrow.flight.Action(name, body));
        byte[] reply = results.next().getBody();
        results.forEachRemaining(r -> { });
        return reply;
    }

    private static List<List<Object>> datasetRows(Path dir)
    {
        List<List<Object>> rows = new ArrayList<>();
        try (Stream<Path> parts = Files.list(dir)) {
            parts.filter(p -> p.toString().endsWith(".parquet")).sorted().forEach(p -> rows.addAll(ParquetRows.read(p.toString()).rows()));
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return rows;
    }

    private static List<String> sorted(List<List<Object>> rows)
    {
        return rows.stream().map(Object::toString).sorted(Comparator.naturalOrder()).toList();
    }

    private static PrintStream quiet()
    {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
