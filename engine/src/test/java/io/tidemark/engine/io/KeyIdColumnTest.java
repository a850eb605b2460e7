package io.tidemark.engine.io;

import io.tidemark.engine.ParquetRows;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch's key-id column lets the string column it numbers be dictionary-encoded by key (each
 * key hashed once per batch): the file holds exactly the strings, though the same key id stands
 * for other strings in the next batch and the dictionary starts again with each row group; rows
 * without an id (-1) and nulls are encoded as ever. The id column itself is not written.
 */
class KeyIdColumnTest
{
    @TempDir
    Path dir;

    @Test
    void keyIdsHoldWithinTheirBatchAndRowGroup()
    {
        Schema output = new Schema(List.of(new Field("k", FieldType.nullable(new ArrowType.Utf8()), null),
                new Field("v", FieldType.nullable(new ArrowType.Int(32, true)), null)));
        List<Field> fields = new ArrayList<>(output.getFields());
        fields.add(KeyIdColumn.field(0));
        fields.add(new Field("__on", FieldType.nullable(new ArrowType.Int(64, true)), null));
        Schema batchSchema = new Schema(fields);
        assertThat(KeyIdColumn.numbers(new ArrowType.Utf8())).isTrue();
        assertThat(KeyIdColumn.numbers(new ArrowType.Int(64, true))).isFalse();
        Path out = dir.resolve("keyed.parquet");
        List<List<Object>> expected = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot batch = VectorSchemaRoot.create(batchSchema, allocator)) {
            try (ParquetSink sink = new ParquetSink(out, output, 64L << 20, 2_500)) {   // row groups cut inside batches
                for (int b = 0; b < 4; b++) {
                    fill(batch, b, 1_000, expected);
                    assertThat(KeyIdColumn.numbered(batch, 2, output.getFields().size())).isEqualTo(0);
                    assertThat(KeyIdColumn.numbered(batch, 1, output.getFields().size())).isEqualTo(-1);
                    sink.write(batch);
                }
            }
        }
        assertThat(ParquetRows.read(out.toString()).rows()).isEqualTo(expected);
        assertThat(InputTable.open(out.toString()).schema().getFields().stream().map(Field::getName)).containsExactly("k", "v");
        for (BlockMetaData group : InputTable.open(out.toString()).files().get(0).footer().getBlocks()) {
            ColumnChunkMetaData k = group.getColumns().get(0);
            assertThat(k.getEncodingStats().hasNonDictionaryEncodedPages()).as("a few keys: every page holds ids").isFalse();
        }
    }

    /**
     * Batch {@code b}: row r has key id r % 7 (-1 every 11th row, null every 13th) standing for
     * string "b{b}-key{id}", so an id means another string in each batch.
     */
    private static void fill(VectorSchemaRoot batch, int b, int rows, List<List<Object>> expected)
    {
        VarCharVector k = (VarCharVector) batch.getVector(0);
        IntVector v = (IntVector) batch.getVector(1);
        IntVector ids = (IntVector) batch.getVector(KeyIdColumn.NAME);
        BigIntVector on = (BigIntVector) batch.getVector(3);
        k.allocateNew(rows);
        v.allocateNew(rows);
        ids.allocateNew(rows);
        on.allocateNew(rows);
        for (int r = 0; r < rows; r++) {
            int id = r % 7;
            String value = r % 13 == 0 ? null : r % 11 == 0 ? "unnumbered-" + r : "b" + b + "-key" + id;
            if (value == null) {
                k.setNull(r);
            }
            else {
                k.setSafe(r, value.getBytes(StandardCharsets.UTF_8));
            }
            ids.set(r, value == null || r % 11 == 0 ? -1 : id);
            v.set(r, r);
            on.set(r, r);
            expected.add(Arrays.asList(value, r));
        }
        k.setValueCount(rows);
        v.setValueCount(rows);
        ids.setValueCount(rows);
        on.setValueCount(rows);
        batch.setRowCount(rows);
    }
}
