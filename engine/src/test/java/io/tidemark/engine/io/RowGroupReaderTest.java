package io.tidemark.engine.io;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RowGroupReaderTest
{
    @TempDir
    Path temp;

    @Test
    void aProjectionReadsItsColumnsAsTheWholeRowGroupDoes()
    {
        Path file = temp.resolve("wide.parquet");
        int rows = 30_000;
        Schema schema = new Schema(List.of(
                Field.nullable("n", new ArrowType.Int(64, true)),
                Field.nullable("s", ArrowType.Utf8.INSTANCE),
                Field.nullable("x", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                Field.nullable("t", ArrowType.Utf8.INSTANCE)));
        try (BufferAllocator allocator = new RootAllocator()) {
            try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
                Random random = new Random(11);
                for (int i = 0; i < rows; i++) {
                    ((BigIntVector) root.getVector(0)).setSafe(i, random.nextLong());
                    if (i % 13 == 0) {
                        ((VarCharVector) root.getVector(1)).setNull(i);
                    }
                    else {
                        ((VarCharVector) root.getVector(1)).setSafe(i, ("s" + random.nextInt(50)).getBytes(StandardCharsets.UTF_8));   // dictionary pages
                    }
                    ((Float8Vector) root.getVector(2)).setSafe(i, random.nextDouble());
                    ((VarCharVector) root.getVector(3)).setSafe(i, Long.toHexString(random.nextLong()).getBytes(StandardCharsets.UTF_8));
                }
                root.setRowCount(rows);
                try (ParquetSink sink = new ParquetSink(file, schema, 64L << 20, 20_000)) {
                    sink.write(root);
                }
            }
            InputTable table = InputTable.open(file.toString());
            InputFile input = table.files().get(0);
            int[] projection = {1, 3};
            Schema projected = new Schema(List.of(schema.getFields().get(1), schema.getFields().get(3)));
            for (int g = 0; g < 2; g++) {
                try (RowGroupReader whole = new RowGroupReader(input, g, table.schema());
                        RowGroupReader part = new RowGroupReader(input, g, table.schema(), projection);
                        VectorSchemaRoot all = VectorSchemaRoot.create(table.schema(), allocator);
                        VectorSchemaRoot some = VectorSchemaRoot.create(projected, allocator)) {
                    int expected = g == 0 ? 20_000 : 10_000;
                    assertThat(part.rows()).isEqualTo(expected);
                    // in two batches, so the projected decoders carry on within their pages
                    for (int batch : new int[] {7_000, expected - 7_000}) {
                        assertThat(whole.next(all, batch)).isEqualTo(batch);
                        assertThat(part.next(some, batch)).isEqualTo(batch);
                        for (int i = 0; i < batch; i++) {
                            assertThat(some.getVector(0).getObject(i)).isEqualTo(all.getVector(1).getObject(i));
                            assertThat(some.getVector(1).getObject(i)).isEqualTo(all.getVector(3).getObject(i));
                        }
                    }
                    assertThat(part.next(some, 1)).isZero();
                }
            }
        }
    }
}
