package io.tidemark.engine.io;

import io.tidemark.engine.ParquetRows;
import io.tidemark.engine.vec.Gather;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer's block path (rows handed over column by column, from one batch or, as the k-way merge
 * does, from several) writes every type with its nulls, cuts pages by rows and bytes, and cuts row
 * groups at the row bound even when it falls inside a block. Read back by the engine's reader.
 */
class ParquetSinkTest
{
    private static final String REFERENCE = "src/test/resources/encodings/reference.parquet";

    @TempDir
    Path dir;

    @Test
    void wholeBatchesKeepEveryTypeAndCutRowGroupsAtTheRowBound()
    {
        ParquetRows reference = ParquetRows.read(REFERENCE);
        Path out = dir.resolve("batches.parquet");
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = load(allocator)) {
            try (ParquetSink sink = new ParquetSink(out, root.getSchema(), 64L << 20, 7_000)) {
                for (int i = 0; i < 6; i++) {   // 30,000 rows: more than one 20,000-row page per column
                    sink.write(root);
                }
            }
        }
        List<List<Object>> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            expected.addAll(reference.rows());
        }
        assertThat(ParquetRows.read(out.toString()).rows()).isEqualTo(expected);
        assertThat(rowGroupRows(out)).containsExactly(7_000L, 7_000L, 7_000L, 7_000L, 2_000L);
        // statistics of the first row group: min, max and nulls of its 7,000 rows, per numeric column
        List<ColumnChunkMetaData> chunks = InputTable.open(out.toString()).files().get(0).footer().getBlocks().get(0).getColumns();
        for (String name : List.of("i64", "i32", "i16", "f64", "f32")) {
            int c = reference.column(name);
            List<Double> values = new ArrayList<>();
            long nulls = 0;
            for (List<Object> row : expected.subList(0, 7_000)) {
                if (row.get(c) == null) {
                    nulls++;
                }
                else {
                    values.add(((Number) row.get(c)).doubleValue());
                }
            }
            Statistics<?> stats = chunks.get(c).getStatistics();
            assertThat(stats.getNumNulls()).as(name).isEqualTo(nulls);
            assertThat(((Number) stats.genericGetMin()).doubleValue()).as(name + " min").isEqualTo(Collections.min(values));
            assertThat(((Number) stats.genericGetMax()).doubleValue()).as(name + " max").isEqualTo(Collections.max(values));
        }
    }

    /**
     * A whole batch's numbers without nulls are copied a page at a time ({@code ColumnEncoder.addRun}):
     * the file is byte for byte the one the row-by-row path writes for the same rows, with pages of
     * nulls and of none, NaN and -0.0, a scaled timestamp, and a narrow type that is widened.
     */
    @Test
    void wholeBatchRunsWriteTheSameFileAsRowByRow()
            throws Exception
    {
        Schema schema = new Schema(List.of(
                new Field("i64", FieldType.nullable(new ArrowType.Int(64, true)), null),
                new Field("ts_s", FieldType.nullable(new ArrowType.Timestamp(org.apache.arrow.vector.types.TimeUnit.SECOND, null)), null),
                new Field("f64", FieldType.nullable(new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE)), null),
                new Field("f32", FieldType.nullable(new ArrowType.FloatingPoint(org.apache.arrow.vector.types.FloatingPointPrecision.SINGLE)), null),
                new Field("i32", FieldType.nullable(new ArrowType.Int(32, true)), null),
                new Field("i16", FieldType.nullable(new ArrowType.Int(16, true)), null)));
        int n = 45_000;
        Random random = new Random(5);
        Path runs = dir.resolve("runs.parquet");
        Path cells = dir.resolve("cells.parquet");
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            root.allocateNew();
            org.apache.arrow.vector.BigIntVector i64 = (org.apache.arrow.vector.BigIntVector) root.getVector(0);
            org.apache.arrow.vector.TimeStampSecVector ts = (org.apache.arrow.vector.TimeStampSecVector) root.getVector(1);
            org.apache.arrow.vector.Float8Vector f64 = (org.apache.arrow.vector.Float8Vector) root.getVector(2);
            org.apache.arrow.vector.Float4Vector f32 = (org.apache.arrow.vector.Float4Vector) root.getVector(3);
            org.apache.arrow.vector.IntVector i32 = (org.apache.arrow.vector.IntVector) root.getVector(4);
            org.apache.arrow.vector.SmallIntVector i16 = (org.apache.arrow.vector.SmallIntVector) root.getVector(5);
            for (int r = 0; r < n; r++) {
                boolean nulls = r >= 30_000 && random.nextInt(5) == 0;   // the first 30,000 rows have none
                i64.setSafe(r, random.nextLong());
                ts.setSafe(r, 1_600_000_000L + random.nextInt(1_000_000));
                double d = r % 997 == 0 ? Double.NaN : r % 991 == 0 ? -0.0 : random.nextGaussian() * 1e6;
                if (nulls) {
                    f64.setNull(r);
                    i32.setNull(r);
                }
                else {
                    f64.setSafe(r, d);
                    i32.setSafe(r, random.nextInt());
                }
                f32.setSafe(r, (float) d);
                i16.setSafe(r, (short) random.nextInt());
            }
            root.setRowCount(n);
            try (ParquetSink sink = new ParquetSink(runs, schema, 64L << 20, 17_000)) {
                sink.write(root);
                sink.write(root);
            }
            try (ParquetSink sink = new ParquetSink(cells, schema, 64L << 20, 17_000)) {
                ParquetSink.Bound bound = sink.bind(root);
                for (int round = 0; round < 2; round++) {
                    for (int from = 0; from < n; from += 4_096) {
                        int count = Math.min(4_096, n - from);
                        ParquetSink.Bound[] bounds = new ParquetSink.Bound[count];
                        int[] rows = new int[count];
                        for (int j = 0; j < count; j++) {
                            bounds[j] = bound;
                            rows[j] = from + j;
                        }
                        sink.writeRows(bounds, rows, count);
                    }
                }
            }
        }
        assertThat(java.nio.file.Files.mismatch(runs, cells)).isEqualTo(-1L);
        assertThat(ParquetRows.read(runs.toString()).rows()).hasSize(2 * n);
        assertThat(rowGroupRows(runs)).containsExactly(17_000L, 17_000L, 17_000L, 17_000L, 17_000L, 5_000L);
    }

    @Test
    void rowsFromSeveralBatchesInAnyOrder()
    {
        ParquetRows reference = ParquetRows.read(REFERENCE);
        int n = reference.rows().size();
        List<Integer> order = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            order.add(r);
        }
        Collections.shuffle(order, new Random(7));
        Path out = dir.resolve("merged.parquet");
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot first = load(allocator);
                VectorSchemaRoot second = load(allocator);
                ParquetSink sink = new ParquetSink(out, first.getSchema(), 64L << 20, 1_500)) {
            ParquetSink.Bound[] batches = {sink.bind(first), sink.bind(second)};
            Random random = new Random(11);
            int at = 0;
            while (at < n) {
                int count = Math.min(n - at, 1 + random.nextInt(1_400));
                ParquetSink.Bound[] bounds = new ParquetSink.Bound[count];
                int[] rows = new int[count];
                for (int j = 0; j < count; j++) {
                    bounds[j] = batches[random.nextInt(2)];
                    rows[j] = order.get(at + j);
                }
                sink.writeRows(bounds, rows, count);
                at += count;
            }
        }
        List<List<Object>> expected = new ArrayList<>();
        for (int r : order) {
            expected.add(reference.rows().get(r));
        }
        assertThat(ParquetRows.read(out.toString()).rows()).isEqualTo(expected);
        assertThat(rowGroupRows(out)).containsExactly(1_500L, 1_500L, 1_500L, 500L);
    }

    @Test
    void stringsAreDictionaryEncodedUntilTheDictionaryPageIsFull()
    {
        Schema schema = new Schema(List.of(new Field("s", FieldType.nullable(new ArrowType.Utf8()), null)));
        String[] few = {"GET", "POST", "naïve", "日本", "", "PUT", "🙂"};
        List<List<Object>> expected = new ArrayList<>();
        Path out = dir.resolve("dictionary.parquet");
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
                ParquetSink sink = new ParquetSink(out, schema, 64L << 20, 50_000)) {
            VarCharVector s = (VarCharVector) root.getVector(0);
            for (int batch = 0; batch < 4; batch++) {   // row group 1: 7 values (and nulls); row group 2: then 25,000 distinct ~60-byte strings (1.5 MB)
                s.allocateNew(25_000);
                for (int r = 0; r < 25_000; r++) {
                    String value = r % 13 == 0 ? null : batch < 3 ? few[(r * 7 + batch) % few.length] : "distinct-" + r + "-" + "y".repeat(45);
                    if (value == null) {
                        s.setNull(r);
                    }
                    else {
                        s.setSafe(r, value.getBytes(StandardCharsets.UTF_8));
                    }
                    expected.add(Collections.singletonList(value));
                }
                s.setValueCount(25_000);
                root.setRowCount(25_000);
                sink.write(root);
            }
        }
        assertThat(ParquetRows.read(out.toString()).rows()).isEqualTo(expected);
        List<BlockMetaData> groups = InputTable.open(out.toString()).files().get(0).footer().getBlocks();
        ColumnChunkMetaData small = groups.get(0).getColumns().get(0);
        ColumnChunkMetaData overflowing = groups.get(1).getColumns().get(0);
        assertThat(small.hasDictionaryPage()).isTrue();
        assertThat(small.getEncodingStats().hasNonDictionaryEncodedPages()).as("7 values: every page holds ids").isFalse();
        assertThat(small.getTotalUncompressedSize()).as("ids, not strings").isLessThan(50_000L * 2);
        assertThat(overflowing.hasDictionaryPage()).isTrue();
        assertThat(overflowing.getEncodingStats().hasDictionaryEncodedPages()).as("ids until the dictionary is full").isTrue();
        assertThat(overflowing.getEncodingStats().hasNonDictionaryEncodedPages()).as("then PLAIN").isTrue();
    }

    @Test
    void distinctStringsTurnPlainAfterTheFirstPage()
    {
        Schema schema = new Schema(List.of(new Field("s", FieldType.nullable(new ArrowType.Utf8()), null)));
        int n = 45_000;   // 360 KB of distinct 8-byte strings: a dictionary would fit its 1 MiB page but save nothing
        List<List<Object>> expected = new ArrayList<>();
        Path out = dir.resolve("distinct.parquet");
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            VarCharVector s = (VarCharVector) root.getVector(0);
            s.allocateNew(n);
            for (int r = 0; r < n; r++) {
                String value = String.format("k%07d", r * 7_919 % n);
                s.setSafe(r, value.getBytes(StandardCharsets.UTF_8));
                expected.add(Collections.singletonList(value));
            }
            s.setValueCount(n);
            root.setRowCount(n);
            try (ParquetSink sink = new ParquetSink(out, schema, 64L << 20, 1_000_000)) {
                sink.write(root);
            }
        }
        assertThat(ParquetRows.read(out.toString()).rows()).isEqualTo(expected);
        ColumnChunkMetaData chunk = InputTable.open(out.toString()).files().get(0).footer().getBlocks().get(0).getColumns().get(0);
        assertThat(chunk.getEncodingStats().getNumDataPagesEncodedAs(org.apache.parquet.column.Encoding.RLE_DICTIONARY))
                .as("only the first page holds ids").isEqualTo(1);
        assertThat(chunk.getEncodingStats().getNumDataPagesEncodedAs(org.apache.parquet.column.Encoding.PLAIN)).isEqualTo(2);
    }

    @Test
    void longStringsFillPagesByBytes()
    {
        Schema schema = new Schema(List.of(new Field("s", FieldType.nullable(new ArrowType.Utf8()), null)));
        int n = 3_000;
        List<List<Object>> expected = new ArrayList<>();
        Path out = dir.resolve("strings.parquet");
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            VarCharVector s = (VarCharVector) root.getVector(0);
            s.allocateNew(n);
            for (int r = 0; r < n; r++) {
                String value = r % 11 == 0 ? null : (char) ('a' + r % 26) + "x".repeat(700 + r % 600);   // ~3 MB: several 1 MiB pages
                if (value == null) {
                    s.setNull(r);
                }
                else {
                    s.setSafe(r, value.getBytes(StandardCharsets.UTF_8));
                }
                expected.add(Collections.singletonList(value));
            }
            root.setRowCount(n);
            try (ParquetSink sink = new ParquetSink(out, schema, 64L << 20, 1_000_000)) {
                sink.write(root);
            }
        }
        assertThat(ParquetRows.read(out.toString()).rows()).isEqualTo(expected);
        InputTable table = InputTable.open(out.toString());
        assertThat(table.files().get(0).footer().getBlocks().get(0).getColumns().get(0).getTotalUncompressedSize())
                .isGreaterThan(2L << 20);
    }

    private static VectorSchemaRoot load(BufferAllocator allocator)
    {
        InputTable table = InputTable.open(Paths.get(REFERENCE).toString());
        VectorSchemaRoot all = VectorSchemaRoot.create(table.schema(), allocator);
        for (FieldVector v : all.getFieldVectors()) {
            Gather.reserve(v, 5_000, 1 << 20);
        }
        int rows = 0;
        try (VectorSchemaRoot group = VectorSchemaRoot.create(table.schema(), allocator)) {
            for (int g = 0; g < table.files().get(0).footer().getBlocks().size(); g++) {
                try (RowGroupReader reader = new RowGroupReader(table.files().get(0), g, table.schema())) {
                    for (int got; (got = reader.next(group, 1_000_000)) > 0; rows += got) {
                        for (int c = 0; c < group.getFieldVectors().size(); c++) {
                            Gather.append(group.getVector(c), 0, got, all.getVector(c), rows);
                        }
                    }
                }
            }
            group.clear();
        }
        for (FieldVector v : all.getFieldVectors()) {
            v.setValueCount(rows);
        }
        all.setRowCount(rows);
        assertThat(rows).isEqualTo(5_000);
        return all;
    }

    private static List<Long> rowGroupRows(Path file)
    {
        return InputTable.open(file.toString()).files().get(0).footer().getBlocks().stream().map(BlockMetaData::getRowCount).toList();
    }
}
