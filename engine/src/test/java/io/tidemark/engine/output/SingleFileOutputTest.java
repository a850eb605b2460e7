package io.tidemark.engine.output;

import io.tidemark.engine.ParquetRows;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.shard.JoinCounters;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Ranges merged on parallel threads land in the file in range order, whichever finishes first. */
class SingleFileOutputTest
{
    private static final Field VALUE = new Field("v", FieldType.nullable(new ArrowType.Int(64, true)), null);
    private static final Field ON = new Field("__on", FieldType.nullable(new ArrowType.Int(64, true)), null);
    private static final Field ORD = new Field("__ord", FieldType.nullable(new ArrowType.Int(64, true)), null);

    @TempDir
    Path dir;

    @Test
    void laterRangesFinishingFirstStillComeAfter()
            throws IOException
    {
        // range 0 is by far the largest, so ranges 1-3 are merged (by the second thread) before it ends
        int[] rows = {400_000, 50, 50, 50};
        try (BufferAllocator allocator = new RootAllocator(256L << 20);
                SpillDir spill = new SpillDir(dir, "job")) {
            List<List<Path>> runs = new ArrayList<>();
            long expected = 0;
            for (int r = 0; r < rows.length; r++) {
                List<Path> range = new ArrayList<>();
                for (int k = 0; k < 3; k++) {   // three runs per range, interleaved keys
                    range.add(run(spill.file("run-" + r + "-" + k + ".arrows"), allocator, r * 10_000_000L, rows[r], k));
                }
                runs.add(range);
                expected += 3L * rows[r];
            }
            Path target = dir.resolve("out.parquet");
            long written = SingleFileOutput.write(runs, new Schema(List.of(VALUE)), target, spill, allocator, 2, 1L << 20, 100_000,
                    new JoinCounters());
            assertThat(written).isEqualTo(expected);
            ParquetRows out = ParquetRows.read(target.toString());
            assertThat(out.rows()).hasSize((int) expected);
            long previous = Long.MIN_VALUE;
            for (List<Object> row : out.rows()) {
                long v = (Long) row.get(0);
                assertThat(v).isGreaterThanOrEqualTo(previous);
                previous = v;
            }
            try (java.util.stream.Stream<Path> left = Files.list(spill.path())) {
                assertThat(left.filter(p -> p.getFileName().toString().startsWith("range-")).toList()).isEmpty();
            }
        }
    }

    /** A run of {@code n} rows keyed base + 3i + offset, the value equal to the key. */
    private static Path run(Path path, BufferAllocator allocator, long base, int n, int offset)
            throws IOException
    {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(VALUE, ON, ORD)), allocator);
                ArrowStreamWriter writer = new ArrowStreamWriter(root, null,
                        FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE))) {
            writer.start();
            int batch = 8192;
            for (int from = 0; from < n; from += batch) {
                int count = Math.min(batch, n - from);
                root.allocateNew();
                for (int c = 0; c < 3; c++) {
                    BigIntVector v = (BigIntVector) root.getVector(c);
                    for (int i = 0; i < count; i++) {
                        long key = base + 3L * (from + i) + offset;
                        v.setSafe(i, c == 2 ? from + i : key);
                    }
                    v.setValueCount(count);
                }
                root.setRowCount(count);
                writer.writeBatch();
            }
            writer.end();
        }
        return path;
    }
}
