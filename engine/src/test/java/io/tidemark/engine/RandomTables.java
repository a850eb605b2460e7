package io.tidemark.engine;

import io.tidemark.engine.io.ParquetSink;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test data for the differential test: rows with many ties, NULL keys and NULL times, written as
 * several Parquet files with small row groups; kept in memory too, in input order, for the reference.
 */
final class RandomTables
{
    /** One row: time (null allowed), key columns (null allowed), its id, its global input ordinal. */
    record Row(Long ts, String k, Integer k2, long id, long ordinal) {}

    static final String[] KEYS = {"a", "b", "c", "naïve", "日本", "🙂", ""};

    private RandomTables() {}

    static List<Row> rows(Random random, int n, int keys, int timeSpan, boolean right)
    {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Long ts = random.nextInt(40) == 0 ? null : (long) random.nextInt(timeSpan) * 1_000;
            String k = random.nextInt(25) == 0 ? null : KEYS[random.nextInt(Math.min(keys, KEYS.length))];
            Integer k2 = random.nextInt(30) == 0 ? null : random.nextInt(2);
            rows.add(new Row(ts, k, k2, (right ? 1_000_000 : 0) + i, i));
        }
        return rows;
    }

    /** Writes rows into {@code files} Parquet files named {@code prefix-N.parquet} under dir, in row groups of 37 rows. */
    static void write(Path dir, String prefix, List<Row> rows, int files, boolean right)
    {
        write(dir, prefix, rows, files, right, 37);
    }

    static void write(Path dir, String prefix, List<Row> rows, int files, boolean right, int rowGroupRows)
    {
        Schema schema = new Schema(List.of(
                field("ts", new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)),
                field("k", ArrowType.Utf8.INSTANCE),
                field("k2", new ArrowType.Int(32, true)),
                field(right ? "rid" : "lid", new ArrowType.Int(64, true)),
                field(right ? "v" : "w", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))));
        int per = (rows.size() + files - 1) / files;
        try (BufferAllocator allocator = new RootAllocator(64L << 20)) {
            for (int f = 0; f < files; f++) {
                int from = Math.min(rows.size(), f * per);
                int to = Math.min(rows.size(), from + per);
                try (ParquetSink sink = new ParquetSink(dir.resolve(prefix + "-" + f + ".parquet"), schema, 1 << 20, rowGroupRows);
                        VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
                    root.allocateNew();
                    for (int i = from; i < to; i++) {
                        Row row = rows.get(i);
                        int r = i - from;
                        if (row.ts() == null) {
                            ((TimeStampMicroVector) root.getVector(0)).setNull(r);
                        }
                        else {
                            ((TimeStampMicroVector) root.getVector(0)).setSafe(r, row.ts());
                        }
                        if (row.k() == null) {
                            ((VarCharVector) root.getVector(1)).setNull(r);
                        }
                        else {
                            ((VarCharVector) root.getVector(1)).setSafe(r, row.k().getBytes(StandardCharsets.UTF_8));
                        }
                        if (row.k2() == null) {
                            ((IntVector) root.getVector(2)).setNull(r);
                        }
                        else {
                            ((IntVector) root.getVector(2)).setSafe(r, row.k2());
                        }
                        ((BigIntVector) root.getVector(3)).setSafe(r, row.id());
                        ((Float8Vector) root.getVector(4)).setSafe(r, row.id() * 0.5);
                    }
                    root.setRowCount(to - from);
                    sink.write(root);
                }
            }
        }
    }

    private static Field field(String name, ArrowType type)
    {
        return new Field(name, FieldType.nullable(type), null);
    }
}
