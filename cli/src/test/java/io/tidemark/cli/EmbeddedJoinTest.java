package io.tidemark.cli;

import io.tidemark.coordinator.Gateway;
import io.tidemark.coordinator.JobPlanner;
import io.tidemark.engine.JobSummary;
import io.tidemark.engine.ParquetRows;
import io.tidemark.protocol.Direction;
import io.tidemark.protocol.How;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.NullKeys;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.Validate;
import io.tidemark.protocol.cluster.JobStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Plain {@code tidemark join} runs every cluster role in this JVM (the worker hands shard output to
 * the collector, the collector merges output ranges in parallel): its output equals the engine run
 * on plain threads ({@code --cluster off}), row for row and in order, and it leaves nothing behind.
 */
class EmbeddedJoinTest
{
    @TempDir
    static Path temp;

    private static Path left;
    private static Path right;

    @BeforeAll
    static void data()
    {
        left = temp.resolve("left.parquet");
        right = temp.resolve("right.parquet");
        SampleData.write(left, right, 150_000, 30_000, 7);
    }

    /** Three workers: two range cuts, so the single file is merged from three ranges of runs. */
    private static ResourceSpec resources(Path spill, int shards)
    {
        return new ResourceSpec(512L << 20, 3, shards, spill.toString(), 1 << 20, 40_000);
    }

    private static JobSummary join(JoinSpec spec, Path out, String cluster, int shards)
            throws IOException
    {
        Path spill = temp.resolve("spill-" + out.getFileName());
        Files.createDirectories(spill);
        JobSummary summary = JoinCommand.execute(spec, left.toString(), right.toString(), out.toString(), resources(spill, shards), cluster, true,
                new PrintStream(new ByteArrayOutputStream()));
        try (Stream<Path> left = Files.list(spill)) {
            assertThat(left.toList()).as("what the run left in its spill folder").isEmpty();
        }
        return summary;
    }

    /** Joins into NAME on threads and on the roles ({@code cluster}), asserts the same rows in the same order; returns the roles' summary. */
    private static JobSummary assertRolesEqualThreads(JoinSpec spec, String name, String cluster, int shards)
            throws IOException
    {
        Path threads = temp.resolve("threads-" + name + ".parquet");
        Path roles = temp.resolve("roles-" + name + ".parquet");
        join(spec, threads, "off", shards);
        JobSummary summary = join(spec, roles, cluster, shards);
        assertThat(ParquetRows.read(roles.toString()).rows()).isEqualTo(ParquetRows.read(threads.toString()).rows());
        return summary;
    }

    @Test
    void singleFileEqualsTheEngineOnThreads()
            throws IOException
    {
        JobSummary summary = assertRolesEqualThreads(JoinSpec.asof("ts", List.of("url")), "backward", null, 0);
        assertThat(summary.rowsOut()).isEqualTo(150_000);
    }

    @Test
    void backwardJoinsOnOneWorkerArePlannedAsTimeRanges()
    {
        ResourceSpec resources = resources(temp, 0);
        String out = temp.resolve("planned.parquet").toString();
        JoinSpec backward = JoinSpec.asof("ts", List.of("url"));
        JobPlanner.Planned embedded = JobPlanner.plan(backward, left.toString(), right.toString(), out, resources, true);
        assertThat(embedded.timeCuts()).as("time cuts of the one-sort plan").isNotEmpty().isSorted();
        assertThat(embedded.buckets()).isEqualTo(embedded.timeCuts().length + 1);
        assertThat(JobPlanner.plan(backward, left.toString(), right.toString(), out, resources, false).timeCuts())
                .as("a remote cluster's workers are not known: hash buckets").isEmpty();
        JoinSpec nearest = new JoinSpec("ts", "ts", List.of("url"), List.of("url"), Direction.NEAREST, null, true, How.LEFT, "_x", "_y",
                false, Validate.MANY_TO_MANY, 0, NullKeys.MATCH);
        assertThat(JobPlanner.plan(nearest, left.toString(), right.toString(), out, resources, true).timeCuts())
                .as("nearest joins hash by key").isEmpty();
    }

    @Test
    void aPlanMadeWhileTheRolesStartIsTheOneSubmittedAndAFailedOneIsMadeAgain()
            throws Exception
    {
        Path spill = temp.resolve("spill-prepared");
        Files.createDirectories(spill);
        ResourceSpec resources = resources(spill, 0);
        JoinSpec spec = JoinSpec.asof("ts", List.of("url"));
        String first = temp.resolve("prepared-1.parquet").toString();
        String second = temp.resolve("prepared-2.parquet").toString();
        Gateway.SubmitRequest request = ClusterClient.submitRequest(spec, left.toString(), right.toString(), first, resources, true);
        JobPlanner.Planned planned = JobPlanner.plan(request.spec(), request.left(), request.right(), request.output(), request.resources(), true);
        try (EmbeddedCluster roles = new EmbeddedCluster(resources)) {
            ClusterClient.Door client = roles.door();
            roles.prepare(request, CompletableFuture.completedFuture(planned));
            String job = submit(client, ClusterClient.submitBody(spec, left.toString(), right.toString(), first, resources, true));
            assertThat(job).as("the submit takes the plan made ahead").isEqualTo(planned.id().value());
            roles.prepare(ClusterClient.submitRequest(spec, left.toString(), right.toString(), second, resources, true),
                    CompletableFuture.failedFuture(new IllegalStateException("planned ahead and failed")));
            String again = submit(client, ClusterClient.submitBody(spec, left.toString(), right.toString(), second, resources, true));
            assertThat(again).as("a failed plan is made again at the submit").isNotNull().isNotEqualTo(job);
            for (String id : List.of(job, again)) {
                assertThat(finalState(client, id)).isEqualTo("DONE");
            }
        }
        assertThat(ParquetRows.read(first).rows()).isEqualTo(ParquetRows.read(second).rows()).hasSize(150_000);
    }

    private static String submit(ClusterClient.Door client, byte[] body)
            throws IOException
    {
        return (String) Gateway.JSON.readValue(client.call("submit", body), java.util.Map.class).get("job");
    }

    private static String finalState(ClusterClient.Door client, String job)
            throws Exception
    {
        byte[] query = Gateway.JSON.writeValueAsBytes(java.util.Map.of("job", job));
        long deadline = System.currentTimeMillis() + 120_000;
        while (true) {
            JobStatus status = Gateway.JSON.readValue(client.call("status", query), JobStatus.class);
            if (status.state().equals("DONE") || status.state().equals("FAILED") || System.currentTimeMillis() > deadline) {
                return status.state();
            }
            Thread.sleep(50);
        }
    }

    @Test
    void nearestWithToleranceAndManyShards()
            throws IOException
    {
        JoinSpec spec = new JoinSpec("ts", "ts", List.of("url"), List.of("url"), Direction.NEAREST, "10m", true, How.INNER, "_x", "_y", false,
                Validate.MANY_TO_MANY, 0, NullKeys.MATCH);
        assertRolesEqualThreads(spec, "nearest", "local", 37);
    }

    @Test
    void datasetHasEveryRowAndAManifest()
            throws IOException
    {
        JoinSpec spec = JoinSpec.asof("ts", List.of("url"));
        Path direct = temp.resolve("direct-dir");
        Path roles = temp.resolve("roles-dir");
        join(spec, direct, "off", 0);   // derived shard counts: both take the one-sort plan (time ranges, one part each)
        join(spec, roles, null, 0);
        assertThat(roles.resolve("_SUCCESS")).exists();
        assertThat(sorted(datasetRows(roles))).isEqualTo(sorted(datasetRows(direct)));
    }

    @Test
    void exactJoinsAreRefusedOnTheRolesAndRunOnThreadsByDefault()
            throws IOException
    {
        JoinSpec exact = new JoinSpec("ts", "ts", List.of("url"), List.of("url"), Direction.BACKWARD, null, true, How.LEFT, "_x", "_y", true,
                Validate.MANY_TO_MANY, 0, NullKeys.MATCH);
        assertThatThrownBy(() -> join(exact, temp.resolve("exact-local.parquet"), "local", 0)).hasMessageContaining("--exact");
        assertThat(join(exact, temp.resolve("exact.parquet"), null, 0).rowsOut()).isEqualTo(150_000);
    }

    @Test
    void aFailedJoinLeavesNoOutputAndNoSpill()
            throws IOException
    {
        Path corrupt = temp.resolve("corrupt.parquet");
        byte[] bytes = Files.readAllBytes(left);
        java.util.Arrays.fill(bytes, bytes.length / 3, bytes.length / 3 + 50_000, (byte) 7);   // data pages; the footer stays readable
        Files.write(corrupt, bytes);
        Path out = temp.resolve("never.parquet");
        Path spill = temp.resolve("spill-failed");
        Files.createDirectories(spill);
        assertThatThrownBy(() -> JoinCommand.execute(JoinSpec.asof("ts", List.of("url")), corrupt.toString(), right.toString(), out.toString(),
                resources(spill, 8), null, true, new PrintStream(new ByteArrayOutputStream())))
                .hasMessageContaining("corrupt.parquet")
                .satisfies(e -> assertThat(e.getSuppressed()).as("closing the roles (the allocator finds a leak)").isEmpty());
        assertThat(out).doesNotExist();
        try (Stream<Path> files = Files.list(spill)) {
            assertThat(files.toList()).as("what the failed run left in its spill folder").isEmpty();
        }
    }

    private static List<String> datasetRows(Path dir)
            throws IOException
    {
        List<String> rows = new ArrayList<>();
        try (Stream<Path> parts = Files.list(dir)) {
            for (Path p : parts.filter(p -> p.toString().endsWith(".parquet")).sorted().toList()) {
                ParquetRows.read(p.toString()).rows().forEach(r -> rows.add(r.toString()));
            }
        }
        return rows;
    }

    private static List<String> sorted(List<String> rows)
    {
        return rows.stream().sorted().toList();
    }
}
