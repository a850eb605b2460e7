package io.tidemark.engine.plan;

import io.tidemark.engine.partition.RoutedWriter;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.partition.SpillInput;
import io.tidemark.engine.shard.ShardData;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spill files leave out the by-key hash and the table's on column when it is the on key bit for
 * bit, and hold the ordinal in 32 bits; a loaded shard has all three again (the on column with its
 * nulls, from the key's buffers; the hash from the by columns); other on columns are spilled whole.
 */
class SpillLayoutTest
{
    private static final int ROWS = 1_000;

    @TempDir
    Path dir;

    @Test
    void theOnColumnIsRebuiltFromTheKey()
            throws Exception
    {
        Schema spill = schema(new ArrowType.Timestamp(TimeUnit.MICROSECOND, null));
        SpillLayout layout = new SpillLayout(spill, JoinPlan.PAYLOAD, true, true, new int[] {JoinPlan.PAYLOAD + 1});
        assertThat(layout.stored().getFields()).extracting(Field::getName).containsExactly("__on", "__ord", "k");
        assertThat(layout.column(2)).isEqualTo(JoinPlan.PAYLOAD + 1);
        assertThat(layout.isStored(JoinPlan.HASH)).isFalse();
        assertThat(layout.loadedExtraBytes()).as("the hash and the widened ordinal").isEqualTo(12);
        assertThat(layout.stored().getFields().get(JoinPlan.ORD).getType()).as("ordinals in 32 bits").isEqualTo(new ArrowType.Int(32, true));
        assertThat(layout.narrowed(JoinPlan.ORD)).isTrue();
        try (BufferAllocator allocator = new RootAllocator();
                SpillDir spillDir = new SpillDir(dir, "layout");
                VectorSchemaRoot rows = rows(spill, allocator)) {
            int[] order = new int[ROWS];
            for (int i = 0; i < ROWS; i++) {
                order[i] = ROWS - 1 - i;   // written in reverse
            }
            FieldVector[] columns = SpillLayout.columnsOf(rows);
            columns[JoinPlan.PAYLOAD] = null;   // the derived column is never read
            io.tidemark.engine.partition.Fragments fragments;
            try (RoutedWriter writer = new RoutedWriter(layout, allocator, spillDir, "t", 1)) {
                writer.write(columns, order, new int[] {0, ROWS});
                fragments = writer.fragments(0);
            }
            try (ArrowStreamReader reader = new ArrowStreamReader(SpillInput.open(fragments.files().get(0), allocator), allocator)) {
                assertThat(reader.getVectorSchemaRoot().getSchema()).isEqualTo(layout.stored());
            }
            try (ShardData loaded = ShardData.load(layout, allocator, List.of(fragments), List.of(rows))) {
                assertThat(loaded.rows()).isEqualTo(2 * ROWS);
                TimeStampMicroVector ts = (TimeStampMicroVector) loaded.vector(JoinPlan.PAYLOAD);
                VarCharVector k = (VarCharVector) loaded.vector(JoinPlan.PAYLOAD + 1);
                BigIntVector ord = (BigIntVector) loaded.vector(JoinPlan.ORD);
                BigIntVector hash = (BigIntVector) loaded.vector(JoinPlan.HASH);
                KeyColumns keys = new KeyColumns(loaded.root(), new int[] {JoinPlan.PAYLOAD + 1});
                for (int r = 0; r < 2 * ROWS; r++) {
                    int source = r < ROWS ? r : 2 * ROWS - 1 - r;   // the carried rows first, then the file's reversed
                    assertThat(ts.isNull(r)).as("row " + r).isEqualTo(source % 7 == 0);
                    if (source % 7 != 0) {
                        assertThat(ts.get(r)).isEqualTo(1_000L * source);
                    }
                    assertThat(new String(k.get(r), StandardCharsets.UTF_8)).isEqualTo("k" + source);
                    assertThat(ord.get(r)).isEqualTo(2_000_000_000L * (source % 2) + source);
                    assertThat(hash.get(r)).as("the by key's hash, made again").isEqualTo(keys.hash(r)).isNotEqualTo(source);
                }
            }
        }
    }

    @Test
    void onlyKeysCopiedBitForBitAreLeftOut()
    {
        OnKey micros = OnKey.resolve("l", field(new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)), "r",
                field(new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)))[0];
        OnKey scaled = OnKey.resolve("l", field(new ArrowType.Timestamp(TimeUnit.MILLISECOND, null)), "r",
                field(new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)))[0];
        OnKey ints = OnKey.resolve("l", field(new ArrowType.Int(32, true)), "r", field(new ArrowType.Int(64, true)))[0];
        OnKey doubles = OnKey.resolve("l", field(new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE)), "r",
                field(new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE)))[0];
        assertThat(micros.copiesBits(new ArrowType.Timestamp(TimeUnit.MICROSECOND, null))).isTrue();
        assertThat(scaled.copiesBits(new ArrowType.Timestamp(TimeUnit.MILLISECOND, null))).as("milliseconds scaled to micros").isFalse();
        assertThat(ints.copiesBits(new ArrowType.Int(64, true))).isTrue();
        assertThat(ints.copiesBits(new ArrowType.Int(32, true))).as("widened").isFalse();
        assertThat(doubles.copiesBits(new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE))).isFalse();
        SpillLayout whole = new SpillLayout(schema(new ArrowType.Int(32, true)), -1, false, false, new int[] {4});
        assertThat(whole.stored()).isEqualTo(whole.schema());
        assertThat(whole.column(3)).isEqualTo(3);
        assertThat(whole.loadedExtraBytes()).isZero();
    }

    private static Field field(ArrowType type)
    {
        return new Field("on", FieldType.nullable(type), null);
    }

    private static Schema schema(ArrowType on)
    {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("__on", FieldType.nullable(new ArrowType.Int(64, true)), null));
        fields.add(new Field("__ord", FieldType.notNullable(new ArrowType.Int(64, true)), null));
        fields.add(new Field("__hash", FieldType.notNullable(new ArrowType.Int(64, true)), null));
        fields.add(new Field("ts", FieldType.nullable(on), null));
        fields.add(new Field("k", FieldType.nullable(new ArrowType.Utf8()), null));
        return new Schema(fields);
    }

    /** Rows i: on key 1,000 i (NULL every 7th, as its on column), key "k" i; the on column as the key. */
    private static VectorSchemaRoot rows(Schema spill, BufferAllocator allocator)
    {
        VectorSchemaRoot root = VectorSchemaRoot.create(spill, allocator);
        root.allocateNew();
        for (int i = 0; i < ROWS; i++) {
            if (i % 7 == 0) {
                ((BigIntVector) root.getVector(JoinPlan.ON)).setNull(i);
                ((TimeStampMicroVector) root.getVector(JoinPlan.PAYLOAD)).setNull(i);
            }
            else {
                ((BigIntVector) root.getVector(JoinPlan.ON)).setSafe(i, 1_000L * i);
                ((TimeStampMicroVector) root.getVector(JoinPlan.PAYLOAD)).setSafe(i, 1_000L * i);
            }
            ((BigIntVector) root.getVector(JoinPlan.ORD)).setSafe(i, 2_000_000_000L * (i % 2) + i);
            ((BigIntVector) root.getVector(JoinPlan.HASH)).setSafe(i, i);
            ((VarCharVector) root.getVector(JoinPlan.PAYLOAD + 1)).setSafe(i, ("k" + i).getBytes(StandardCharsets.UTF_8));
        }
        root.setRowCount(ROWS);
        return root;
    }
}
