package io.tidemark.coordinator;

import io.tidemark.engine.ParquetRows;
import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.ShardId;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.memory.ArrowBuf;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shard output arrives over Flight DoPut on loopback; of two attempts of one shard only the first to
 * finish is committed, a stale epoch is refused, and no attempt file is left behind.
 */
class ShardCollectorTest
{
    private static final Schema SHIPPED = new Schema(List.of(
            new Field("value", FieldType.nullable(new ArrowType.Int(64, true)), null),
            new Field("__on", FieldType.nullable(new ArrowType.Int(64, true)), null),
            new Field("__ord", FieldType.nullable(new ArrowType.Int(64, true)), null)));

    @TempDir
    Path temp;

    @Test
    void eachShardIsCommittedOnceByTheFirstAttempt()
            throws Exception
    {
        Path data = temp.resolve("out");
        CommitAuthority authority = new CommitAuthority(new Epoch(2));
        ShardId shard = new ShardId(4, 0);
        try (BufferAllocator allocator = new RootAllocator(128L << 20);
                ShardCollector collector = ShardCollector.start(allocator, "127.0.0.1", 0, data, authority, 1 << 20, 1000)) {
            try (FlightClient client = FlightClient.builder(allocator, collector.location()).build()) {
                assertThat(put(client, allocator, new AttemptId(shard, 0), new Epoch(2), 5_000, 1)).isEqualTo("committed");
                assertThat(put(client, allocator, new AttemptId(shard, 1), new Epoch(2), 7_000, 2)).isEqualTo("refused_taken");
                assertThat(put(client, allocator, new AttemptId(new ShardId(5, 0), 0), new Epoch(1), 10, 3)).isEqualTo("refused_stale_epoch");
                assertThat(put(client, allocator, new AttemptId(new ShardId(6, 0), 3), new Epoch(2), 0, 4)).isEqualTo("committed");
            }
        }
        assertThat(authority.committedShards()).isEqualTo(2);
        assertThat(ShardCollector.committedFile(data, shard)).exists();
        assertThat(ShardCollector.committedFile(data, new ShardId(5, 0))).doesNotExist();
        try (Stream<Path> attempts = Files.list(data.resolve("_attempts"))) {
            assertThat(attempts).isEmpty();
        }
        ParquetRows rows = ParquetRows.read(ShardCollector.committedFile(data, shard).toString());
        assertThat(rows.rows()).hasSize(5_000);
        assertThat(rows.rows().stream().mapToLong(row -> (Long) row.get(0)).sum()).isEqualTo(5_000L * 4_999 / 2 * 1);
    }

    /** Puts {@code rows} rows whose value is row * factor; returns the collector's answer. */
    private static String put(FlightClient client, BufferAllocator allocator, AttemptId attempt, Epoch epoch, int rows, long factor)
            throws Exception
    {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(SHIPPED, allocator);
                SyncPutListener listener = new SyncPutListener()) {
            FlightClient.ClientStreamListener stream = client.startPut(ShardCollector.descriptor(attempt, epoch), root, listener);
            for (int from = 0; from < rows; from += 1_000) {
                int n = Math.min(1_000, rows - from);
                root.allocateNew();
                for (int i = 0; i < n; i++) {
                    ((BigIntVector) root.getVector(0)).setSafe(i, (from + i) * factor);
                    ((BigIntVector) root.getVector(1)).setSafe(i, from + i);
                    ((BigIntVector) root.getVector(2)).setSafe(i, from + i);
                }
                root.setRowCount(n);
                stream.putNext();
            }
            stream.completed();
            try (PutResult result = listener.read()) {
                ArrowBuf meta = result.getApplicationMetadata();
                byte[] bytes = new byte[(int) meta.readableBytes()];
                meta.getBytes(0, bytes);
                stream.getResult();
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
    }
}
