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
 * deleted once appended, and a job abandoned midway leaves no temporary file behind. Pieces handed
 * over by a worker in the same JVM wait in memory for their attempt's commit and turn; a refused
 * attempt's pieces never reach the file.
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
            ShardCollector collector = expecting(job, (j, a, e, s) -> CommitDecision.COMMIT);
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
    void handedOverPiecesAreWrittenWhenTheirAttemptCommitsInShardOrder()
            throws Exception
    {
        try (BufferAllocator allocator = new RootAllocator(64L << 20)) {
            JobOrder job = job("job-handed", allocator);
            // attempt 1 of any shard is stale: its pieces must not reach the file
            ShardCollector collector = expecting(job, (j, a, e, s) -> a.number() == 1 ? CommitDecision.REFUSED_STALE : CommitDecision.COMMIT);
            Schema shipped = shipped(job, allocator);
            ship(collector, job, shipped, allocator, 1, 0, true, 600, 1);
            assertThat(collector.commit(job.id(), attempt(1, 0), EPOCH, STATS)).isEqualTo(CommitDecision.COMMIT);
            assertThat(parts(collector, job, 1)).as("handed-over pieces wait encoded in memory, not as part files").isEmpty();
            ship(collector, job, shipped, allocator, 0, 1, true, 700, 7);
            assertThat(collector.commit(job.id(), attempt(0, 1), EPOCH, STATS)).isEqualTo(CommitDecision.REFUSED_STALE);
            ship(collector, job, shipped, allocator, 0, 0, true, 400, 0);
            long before = Files.size(leftovers(job).get(0));
            assertThat(collector.commit(job.id(), attempt(0, 0), EPOCH, STATS)).isEqualTo(CommitDecision.COMMIT);
            assertThat(Files.size(leftovers(job).get(0))).as("shards 0 and 1 are written once 0 commits").isGreaterThan(before);
            ship(collector, job, shipped, allocator, 2, 0, false, 300, 2);   // shipped as part files (over Flight)
            assertThat(collector.commit(job.id(), attempt(2, 0), EPOCH, STATS)).isEqualTo(CommitDecision.COMMIT);
            long rows = OutputPublisher.publish(collector, job, List.of(), allocator, new JoinCounters(), NOW);
            assertThat(rows).isEqualTo(1_300);
            List<Long> values = new ArrayList<>();
            ParquetRows.read(job.output()).rows().forEach(r -> values.add((Long) r.get(0)));
            List<Long> expected = new ArrayList<>();
            for (int[] shard : new int[][] {{0, 400}, {1, 600}, {2, 300}}) {
                for (long i = 0; i < shard[1]; i++) {
                    expected.add(shard[0] * 10_000L + i);
                }
            }
            assertThat(values).as("committed attempts' rows in shard order, then piece order; none of the stale attempt's").isEqualTo(expected);
            assertThat(leftovers(job)).isEmpty();
        }
    }

    @Test
    void aHandedOverPieceAsManyShardsAheadAsTheJobHasSlotsWaitsForTheFile()
            throws Exception
    {
        try (BufferAllocator allocator = new RootAllocator(64L << 20)) {
            JobOrder job = job("job-ahead", allocator);   // two worker slots, three shards
            ShardCollector collector = expecting(job, (j, a, e, s) -> CommitDecision.COMMIT);
            Schema shipped = shipped(job, allocator);
            java.util.concurrent.CompletableFuture<Void> ahead = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    ship(collector, job, shipped, allocator, 2, 0, true, 200, 2);
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            assertThat(ahead).as("shard 2 is two shards past the file's end").isNotDone();
            commit(collector, job, shipped, allocator, 0, 100);
            ahead.get(10, java.util.concurrent.TimeUnit.SECONDS);   // the file reached shard 1: shard 2 may stage
            assertThat(collector.commit(job.id(), attempt(2, 0), EPOCH, STATS)).isEqualTo(CommitDecision.COMMIT);
            ship(collector, job, shipped, allocator, 1, 0, true, 50, 1);
            assertThat(collector.commit(job.id(), attempt(1, 0), EPOCH, STATS)).isEqualTo(CommitDecision.COMMIT);
            assertThat(OutputPublisher.publish(collector, job, List.of(), allocator, new JoinCounters(), NOW)).isEqualTo(350);
        }
    }

    @Test
    void twoSlotsHandingOverWhileDrainsWriteInTheBackgroundGetEveryRowOnceInShardOrder()
            throws Exception
    {
        int shards = 40;
        java.util.function.IntUnaryOperator rowsOf = shard -> 200 + 37 * shard;
        java.util.concurrent.ExecutorService blocking = java.util.concurrent.Executors.newFixedThreadPool(3);
        java.util.concurrent.ExecutorService slots = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (BufferAllocator allocator = new RootAllocator(256L << 20)) {
            JobOrder job = job("job-concurrent", allocator, shards);   // two worker slots
            ShardCollector collector = expecting(job, (j, a, e, s) -> CommitDecision.COMMIT, blocking);
            Schema shipped = shipped(job, allocator);
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int slot = 0; slot < 2; slot++) {
                int first = slot;
                done.add(slots.submit(() -> {
                    for (int shard = first; shard < shards; shard += 2) {
                        // every fifth shard comes as part files (over Flight), the others handed over
                        ship(collector, job, shipped, allocator, shard, 0, shard % 5 != 0, rowsOf.applyAsInt(shard), shard);
                        assertThat(collector.commit(job.id(), attempt(shard, 0), EPOCH, STATS)).isEqualTo(CommitDecision.COMMIT);
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> slot : done) {
                slot.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            long rows = OutputPublisher.publish(collector, job, List.of(), allocator, new JoinCounters(), NOW);
            List<Long> expected = new ArrayList<>();
            for (int shard = 0; shard < shards; shard++) {
                for (long i = 0; i < rowsOf.applyAsInt(shard); i++) {
                    expected.add(shard * 10_000L + i);
                }
            }
            assertThat(rows).isEqualTo(expected.size());
            List<Long> values = new ArrayList<>();
            ParquetRows.read(job.output()).rows().forEach(r -> values.add((Long) r.get(0)));
            assertThat(values).as("every shard's rows once, in shard order, then piece order").isEqualTo(expected);
            assertThat(leftovers(job)).isEmpty();
        }
        finally {
            slots.shutdownNow();
            blocking.shutdownNow();
        }
    }

    @Test
    void aJobAbandonedMidwayLeavesNoTemporaryFile()
            throws Exception
    {
        try (BufferAllocator allocator = new RootAllocator(64L << 20)) {
            JobOrder job = job("job-abandoned", allocator);
            ShardCollector collector = expecting(job, (j, a, e, s) -> CommitDecision.COMMIT);
            commit(collector, job, shipped(job, allocator), allocator, 0, 500);
            assertThat(leftovers(job)).as("the temporary file is being written").hasSize(1);
            collector.abandon(job.id());
            assertThat(leftovers(job)).isEmpty();
            assertThat(Path.of(job.output())).doesNotExist();
            assertThatThrownBy(() -> OutputPublisher.publish(collector, job, List.of(), allocator, new JoinCounters(), NOW))
                    .hasMessageContaining("is over");
        }
    }

    /** A collector deciding commits by {@code gate}, told that {@code job} begins (its output file is appended to as shards commit). */
    private ShardCollector expecting(JobOrder job, CommitGate gate)
    {
        return expecting(job, gate, NOW);
    }

    /** The same, appending on {@code blocking}. */
    private ShardCollector expecting(JobOrder job, CommitGate gate, Executor blocking)
    {
        ShardCollector collector = new ShardCollector(temp.resolve("data"), gate, 1 << 20, 1000);
        collector.expect(job, blocking);
        return collector;
    }

    /** A single-file job over two one-row inputs, with three time-range shards. */
    private JobOrder job(String id, BufferAllocator allocator)
            throws Exception
    {
        return job(id, allocator, 3);
    }

    /** A single-file job over two one-row inputs, with {@code shards} time-range shards and two worker slots. */
    private JobOrder job(String id, BufferAllocator allocator, int shards)
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
                new ResourceSpec(1L << 30, 2, 0, temp.toString(), 1 << 20, 1000), shards,
                java.util.stream.LongStream.rangeClosed(1, shards - 1).map(b -> 10 * b).toArray());
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
        ship(collector, job, shipped, allocator, shard, 0, false, rows, shard);
        assertThat(collector.commit(job.id(), attempt(shard, 0), EPOCH, STATS)).isEqualTo(CommitDecision.COMMIT);
    }

    /**
     * Ships {@code rows} rows (first column {@code tag} * 10,000 + row) as two pieces of an attempt
     * of shard {@code shard}: handed over (kept encoded) or written as part files.
     */
    private static void ship(ShardCollector collector, JobOrder job, Schema shipped, BufferAllocator allocator, int shard, int attempt,
            boolean handOver, int rows, int tag)
            throws Exception
    {
        int half = rows / 2;
        for (int piece = 0; rows > 0 && piece < 2; piece++) {
            int from = piece == 0 ? 0 : half;
            int to = piece == 0 ? half : rows;
            PiecePath path = new PiecePath(job.id(), attempt(shard, attempt), EPOCH, piece, 0, false);
            try (io.tidemark.engine.shard.ShardSink sink = handOver ? collector.hand(path, shipped, allocator) : collector.open(path, shipped, allocator);
                    VectorSchemaRoot root = VectorSchemaRoot.create(shipped, allocator)) {
                root.allocateNew();
                for (int c = 0; c < shipped.getFields().size(); c++) {
                    if (root.getVector(c) instanceof BigIntVector v) {
                        for (int i = from; i < to; i++) {
                            v.set(i - from, tag * 10_000L + i);
                        }
                    }
                }
                root.setRowCount(to - from);
                sink.write(root);
            }
        }
    }

    private static AttemptId attempt(int shard, int number)
    {
        return new AttemptId(new ShardId(shard, 0), number);
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
