package io.tidemark.engine.io;

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

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An on-key sample skips row groups only when the footers show each spanning nearly the whole key
 * range (rows in no order), and still reads a quarter of them and enough rows per wanted key; time-
 * ordered files and files of few row groups are read in full.
 */
class SampledRowGroupsTest
{
    private static final int GROUPS = 16;
    private static final int ROWS = 1_000;

    @TempDir
    Path dir;

    @Test
    void shuffledRowGroupsAreSampledTimeOrderedOnesReadInFull()
    {
        InputTable shuffled = write("shuffled.parquet", false, GROUPS);
        InputTable ordered = write("ordered.parquet", true, GROUPS);
        InputTable few = write("few.parquet", false, 4);
        assertThat(SampledRowGroups.step(shuffled.files().get(0).footer().getBlocks(), 0, 1)).as("a quarter of 16 row groups").isEqualTo(4);
        assertThat(SampledRowGroups.step(shuffled.files().get(0).footer().getBlocks(), 0, 20))
                .as("20 keys x 256 rows: 6 row groups of 1,000 rows").isEqualTo(2);
        assertThat(SampledRowGroups.step(shuffled.files().get(0).footer().getBlocks(), 0, 1_000)).as("more rows wanted than there are").isEqualTo(1);
        assertThat(SampledRowGroups.step(ordered.files().get(0).footer().getBlocks(), 0, 1)).isEqualTo(1);
        assertThat(SampledRowGroups.step(few.files().get(0).footer().getBlocks(), 0, 1)).isEqualTo(1);
        boolean[][] read = SampledRowGroups.of(shuffled.files(), 0, 1);
        int count = 0;
        for (boolean r : read[0]) {
            count += r ? 1 : 0;
        }
        assertThat(read[0][0]).isTrue();
        assertThat(count).isEqualTo(GROUPS / 4);
    }

    /** {@code groups} row groups of on keys 0 .. groups x ROWS - 1: in order, or shuffled over every row group. */
    private InputTable write(String name, boolean inOrder, int groups)
    {
        Schema schema = new Schema(List.of(new Field("on", FieldType.nullable(new ArrowType.Int(64, true)), null)));
        int n = groups * ROWS;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = i;
        }
        Random random = new Random(7);
        for (int i = n - 1; i > 0 && !inOrder; i--) {
            int j = random.nextInt(i + 1);
            long t = keys[i];
            keys[i] = keys[j];
            keys[j] = t;
        }
        Path out = dir.resolve(name);
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
                ParquetSink sink = new ParquetSink(out, schema, 64L << 20, ROWS)) {
            BigIntVector on = (BigIntVector) root.getVector(0);
            on.allocateNew(n);
            for (int i = 0; i < n; i++) {
                on.set(i, keys[i]);
            }
            on.setValueCount(n);
            root.setRowCount(n);
            sink.write(root);
        }
        InputTable table = InputTable.open(out.toString());
        assertThat(table.files().get(0).footer().getBlocks()).hasSize(groups);
        return table;
    }
}
