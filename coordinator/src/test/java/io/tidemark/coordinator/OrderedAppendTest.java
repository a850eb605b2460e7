package io.tidemark.coordinator;

import io.tidemark.engine.ParquetRows;
import io.tidemark.engine.io.ParquetSink;
import io.tidemark.engine.shard.JoinCounters;
import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.ShardId;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.JobOrder;
import io.tidemark.protocol.cluster.PiecePath;
import io.tidemark.protocol.cluster.ShardStats;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The single file of a time-range job is appended to as its shards commit: a shard committed
 * before the ones ahead of it waits for them, rows come out in shard order, committed parts are
 * deleted once appended, and a job abandoned midway leaves no temporary file behind.
 */
class OrderedAppendTest
{
    private static final Schema TABLE = new Schema(List.of(
            new Field("ts", FieldType.nullable(new ArrowType.Int(64, true)), null),
            new Field("v", FieldType.nullable(new ArrowType.Int(64, true)), null)));
    private static final Epoch EPOCH = new Epoch(0);
    private static final ShardStats STATS = new ShardStats(0, 0, 0, 0, 1, 0);
    /** Runs appends in the calling thread, so the test sees each commit's effect at once. */
    private static final Executor NOW = Runnable::run;

    @TempDir
    Path temp;

    @Test
    void shardsAreAppendedInOrderAsTheyCommit()
            throws Exception
    {
        try (BufferAllocator allocator = new RootAllocator(64L << 20)) {
            JobOrder job = job("job-ordered", allocator);
            ShardCollector collector = new ShardCollector(temp.resolve("data"), (j, a, e, s) -> CommitDecision.COMMIT, 1 << 20, 1000);
            collector.expect(job, NOW);
            Schema shipped = shipped(job, allocator);
            commit(collector, job, shipped, allocator, 2, 2_000);
            assertThat(parts(collector, job, 2)).as("shard 2 waits for 0 and 1").isNotEmpty();
            commit(collector, job, shipped, allocator, 0, 1_000);
            assertThat(parts(collector, job, 0)).as("shard 0 is appended and its parts deleted").isEmpty();
            assertThat(parts(collector, job, 2)).isNotEmpty();
            commit(collector, job, shipped, allocator, 1, 0);   // an empty shard ships no piece
            assertThat(parts(collector, job, 2)).as("0 and 1 are in: 2 follows").isEmpty();
            JoinCounters counters = new JoinCounters();
            long rows = OutputPublisher.publish(collector, job, List.of(), allocator, counters, NOW);
            assertThat(rows).isEqualTo(3_000);
            assertThat(counters.rowsWritten.sum()).isEqualTo(3_000);
            List<Long> values = new ArrayList<>();
            ParquetRows.read(job.output()).rows().forEach(r -> values.add((Long) r.get(0)));
            List<Long> expected = new ArrayList<>();
            for (int shard : new int[] {0, 2}) {
                for (long i = 0; i < (shard == 0 ? 1_000 : 2_000); i++) {
                    expected.add(shard * 10_000L + i);
                }
            }
            assertThat(values).as("rows in shard order, then piece order").isEqualTo(expected);
            assertThat(collector.jobDir(job.id())).doesNotExist();
            assertThat(leftovers(job)).isEmpty();
        }
    }

    @Test
    void aJobAbandonedMidwayLeavesNoTemporaryFile()
            throws Exception
    {
        try (BufferAllocator allocator = new RootAllocator(64L << 20)) {
            JobOrder job = job("job-abandoned", allocator);
            ShardCollector collector = new ShardCollector(temp.resolve("data"), (j, a, e, s) -> CommitDecision.COMMIT, 1 << 20, 1000);
            collector.expect(job, NOW);
            commit(collector, job, shipped(job, allocator), allocator, 0, 500);
            assertThat(leftovers(job)).as("the temporary file is being written").hasSize(1);
            collector.abandon(job.id());
            assertThat(leftovers(job)).isEmpty();
            assertThat(Path.of(job.output())).doesNotExist();
            assertThatThrownBy(() -> OutputPublisher.publish(collector, job, List.of(), allocator, new JoinCounters(), NOW))
                    .hasMessageContaining("is over");
        }
    }

    /** A single-file job over two one-row inputs, with three time-range shards. */
    private JobOrder job(String id, BufferAllocator allocator)
            throws Exception
    {
        Path left = temp.resolve(id + "-left.parquet");
        Path right = temp.resolve(id + "-right.parquet");
        for (Path p : List.of(left, right)) {
            try (VectorSchemaRoot root = VectorSchemaRoot.create(TABLE, allocator);
                    ParquetSink sink = new ParquetSink(p, TABLE, 1 << 20, 1000)) {
                root.allocateNew();
                ((BigIntVector) root.getVector(0)).set(0, 1);
                ((BigIntVector) root.getVector(1)).set(0, 2);
                root.setRowCount(1);
                sink.write(root);
            }
        }
        Path out = temp.resolve("out").resolve(id + ".parquet");
        Files.createDirectories(out.getParent());
        return new JobOrder(new JobId(id), EPOCH, JoinSpec.asof("ts", List.of()), left.toString(), right.toString(), out.toString(),
                new ResourceSpec(1L << 30, 2, 0, temp.toString(), 1 << 20, 1000), 3, new long[] {10, 20});
    }

    /** What a worker ships: the output columns, then the left on key and ordinal. */
    private static Schema shipped(JobOrder job, BufferAllocator allocator)
    {
        List<Field> fields = new ArrayList<>(new io.tidemark.engine.plan.JoinPlan(job.spec(), io.tidemark.engine.io.InputTable.open(job.left()),
                io.tidemark.engine.io.InputTable.open(job.right())).output().schema().getFields());
        fields.add(new Field("__on", FieldType.nullable(new ArrowType.Int(64, true)), null));
        fields.add(new Field("__ord", FieldType.nullable(new ArrowType.Int(64, true)), null));
        return new Schema(fields);
    }

    /** Ships {@code rows} rows (first column shard * 10,000 + row) as two pieces of shard {@code shard}'s attempt 0 and commits it. */
    private static void commit(ShardCollector collector, JobOrder job, Schema shipped, BufferAllocator allocator, int shard, int rows)
            throws Exception
    {
        AttemptId attempt = new AttemptId(new ShardId(shard, 0), 0);
        int half = rows / 2;
        for (int piece = 0; rows > 0 && piece < 2; piece++) {
            int from = piece == 0 ? 0 : half;
            int to = piece == 0 ? half : rows;
            try (PieceFile file = collector.open(new PiecePath(job.id(), attempt, EPOCH, piece, 0, false), shipped, allocator);
                    VectorSchemaRoot root = VectorSchemaRoot.create(shipped, allocator)) {
                root.allocateNew();
                for (int c = 0; c < shipped.getFields().size(); c++) {
                    if (root.getVector(c) instanceof BigIntVector v) {
                        for (int i = from; i < to; i++) {
                            v.set(i - from, shard * 10_000L + i);
                        }
                    }
                }
                root.setRowCount(to - from);
                file.write(root);
            }
        }
        assertThat(collector.commit(job.id(), attempt, EPOCH, STATS)).isEqualTo(CommitDecision.COMMIT);
    }

    private static List<Path> parts(ShardCollector collector, JobOrder job, int shard)
            throws Exception
    {
        Path dir = collector.committedDir(job.id(), new ShardId(shard, 0));
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
        }
    }

    /** Files beside the output other than the output itself: the temporary file while it is written. */
    private static List<Path> leftovers(JobOrder job)
            throws Exception
    {
        Path out = Path.of(job.output());
        try (Stream<Path> files = Files.list(out.getParent())) {
            return files.filter(p -> !p.equals(out)).toList();
        }
    }
}
