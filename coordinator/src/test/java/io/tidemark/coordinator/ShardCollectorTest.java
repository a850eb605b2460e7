package io.tidemark.coordinator;

import io.tidemark.engine.ParquetRows;
import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.ShardId;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.PiecePath;
import io.tidemark.protocol.cluster.ShardStats;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.SyncPutListener;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Shard pieces arrive over Flight DoPut on loopback into per-attempt folders; only the attempt the
 * gate lets commit is moved into place, the others' folders are deleted; no attempt folder is left.
 */
class ShardCollectorTest
{
    private static final Schema SHIPPED = new Schema(List.of(
            new Field("value", FieldType.nullable(new ArrowType.Int(64, true)), null),
            new Field("__on", FieldType.nullable(new ArrowType.Int(64, true)), null),
            new Field("__ord", FieldType.nullable(new ArrowType.Int(64, true)), null)));
    private static final JobId JOB = new JobId("job-test");
    private static final Epoch EPOCH = new Epoch(2);
    private static final ShardStats STATS = new ShardStats(0, 0, 0, 0, 1, 0);

    @TempDir
    Path temp;

    @Test
    void onlyTheAttemptTheGateChoosesIsCommitted()
            throws Exception
    {
        Map<ShardId, AttemptId> winners = new HashMap<>();
        CommitGate firstWins = (job, attempt, epoch, stats) -> {
            synchronized (winners) {
                AttemptId w = winners.putIfAbsent(attempt.shard(), attempt);
                return w == null || w.equals(attempt) ? CommitDecision.COMMIT : CommitDecision.REFUSED_TAKEN;
            }
        };
        ShardCollector collector = new ShardCollector(temp.resolve("data"), firstWins, 1 << 20, 1000);
        ShardId shard = new ShardId(4, 0);
        AttemptId first = new AttemptId(shard, 0);
        AttemptId second = new AttemptId(shard, 1);
        BufferAllocator allocator = new RootAllocator(128L << 20);
        FlightEndpoint endpoint = FlightEndpoint.start(allocator, "127.0.0.1", 0, null, collector);
        FlightClient client = FlightClient.builder(allocator, Location.forGrpcInsecure("127.0.0.1", endpoint.port())).build();
        put(client, allocator, first, 0, 3_000, 1);
        put(client, allocator, first, 1, 2_000, 1);
        put(client, allocator, second, 0, 7_000, 2);
        assertThat(collector.commit(JOB, second, EPOCH, STATS)).isEqualTo(CommitDecision.COMMIT);
        assertThat(collector.commit(JOB, first, EPOCH, STATS)).isEqualTo(CommitDecision.REFUSED_TAKEN);
        assertThat(collector.commit(JOB, second, EPOCH, STATS)).as("asking again").isEqualTo(CommitDecision.COMMIT);
        Path committed = collector.committedDir(JOB, shard);
        try (Stream<Path> files = Files.list(committed)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("piece-0000.parquet", "piece-0000.parquet.rows");
        }
        ParquetRows rows = ParquetRows.read(committed.resolve("piece-0000.parquet").toString());
        assertThat(rows.schema().getFields()).extracting(Field::getName).containsExactly("value");
        assertThat(rows.rows()).hasSize(7_000);
        assertThat(rows.rows().stream().mapToLong(r -> (Long) r.get(0)).sum()).isEqualTo(2L * 7_000 * 6_999 / 2);
        try (Stream<Path> attempts = Files.list(collector.jobDir(JOB).resolve("_attempts"))) {
            assertThat(attempts).isEmpty();
        }
        collector.abandon(JOB);
        assertThat(collector.jobDir(JOB)).doesNotExist();
        // a late attempt (a worker resumed after the job was published) is refused and leaves nothing behind
        assertThatThrownBy(() -> put(client, allocator, new AttemptId(shard, 2), 0, 1_000, 1)).isInstanceOf(FlightRuntimeException.class);
        assertThat(collector.jobDir(JOB)).doesNotExist();
        client.close();
        endpoint.close();
        allocator.close();
    }

    /** Puts {@code rows} rows whose value is row * factor as one piece of an attempt. */
    private static void put(FlightClient client, BufferAllocator allocator, AttemptId attempt, int piece, int rows, long factor)
    {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(SHIPPED, allocator);
                SyncPutListener ack = new SyncPutListener()) {
            FlightClient.ClientStreamListener stream = client.startPut(ShardCollector.descriptor(new PiecePath(JOB, attempt, EPOCH, piece, 0, false)), root, ack);
            for (int from = 0; from < rows; from += 1_000) {
                int n = Math.min(1_000, rows - from);
                root.allocateNew();
                for (int c = 0; c < 3; c++) {
                    BigIntVector v = (BigIntVector) root.getVector(c);
                    for (int i = 0; i < n; i++) {
                        v.set(i, (from + i) * factor);
                    }
                    v.setValueCount(n);
                }
                root.setRowCount(n);
                stream.putNext();
            }
            stream.completed();
            ack.getResult();
        }
    }
}
