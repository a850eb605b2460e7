package io.tidemark.cli;

import io.tidemark.engine.io.ParquetSink;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded, unsorted sample logs (left) and crawl states (right) with a heavy-headed url distribution. */
final class SampleData
{
    private static final long T0 = 1_767_225_600_000_000L;   // 2026-01-01 in microseconds
    private static final long DAY = 86_400_000_000L;
    private static final String[] STATES = {"Submitted and indexed", "Crawled - currently not indexed",
            "Discovered - currently not indexed", "Page with redirect", "Not found (404)"};

    private SampleData() {}

    static void write(Path left, Path right, int leftRows, int rightRows, long seed)
    {
        try {
            Files.createDirectories(left.toAbsolutePath().getParent());
            Files.deleteIfExists(left);
            Files.deleteIfExists(right);
        }
        catch (java.io.IOException e) {
            throw new IllegalStateException("cannot prepare " + left.getParent() + ": " + e.getMessage(), e);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int urls = Math.max(10, leftRows / 100);
        Field ts = field("ts", new ArrowType.Timestamp(TimeUnit.MICROSECOND, null));
        Field url = field("url", ArrowType.Utf8.INSTANCE);
        Schema logs = new Schema(List.of(ts, url, field("status", new ArrowType.Int(16, true)), field("bytes", new ArrowType.Int(64, true))));
        Schema crawls = new Schema(List.of(ts, url, field("crawl_state", ArrowType.Utf8.INSTANCE), field("position", new ArrowType.FloatingPoint(
                org.apache.arrow.vector.types.FloatingPointPrecision.DOUBLE))));
        try (BufferAllocator allocator = new RootAllocator(256L << 20)) {
            writeSide(left, logs, leftRows, urls, random, allocator, true);
            writeSide(right, crawls, rightRows, urls, random, allocator, false);
        }
    }

    private static void writeSide(Path path, Schema schema, int rows, int urls, SplittableRandom random, BufferAllocator allocator, boolean logs)
    {
        int batch = 65_536;
        try (ParquetSink sink = new ParquetSink(path, schema, 64L << 20, 1_000_000);
                VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            for (int done = 0; done < rows; done += batch) {
                int n = Math.min(batch, rows - done);
                root.allocateNew();
                TimeStampMicroVector ts = (TimeStampMicroVector) root.getVector(0);
                VarCharVector url = (VarCharVector) root.getVector(1);
                for (int i = 0; i < n; i++) {
                    ts.setSafe(i, T0 + random.nextLong(DAY));
                    int id = (int) Math.min(urls - 1, Math.floor(Math.pow(random.nextDouble(), 3) * urls));
                    url.setSafe(i, ("https://shop.example/p/" + id).getBytes(StandardCharsets.UTF_8));
                    if (logs) {
                        ((SmallIntVector) root.getVector(2)).setSafe(i, (short) (random.nextInt(10) == 0 ? 404 : 200));
                        ((BigIntVector) root.getVector(3)).setSafe(i, 200 + random.nextInt(2_000_000));
                    }
                    else {
                        ((VarCharVector) root.getVector(2)).setSafe(i, STATES[random.nextInt(STATES.length)].getBytes(StandardCharsets.UTF_8));
                        ((Float8Vector) root.getVector(3)).setSafe(i, Math.round(random.nextDouble() * 1000) / 10.0);
                    }
                }
                root.setRowCount(n);
                sink.write(root);
            }
        }
    }

    private static Field field(String name, ArrowType type)
    {
        return new Field(name, FieldType.nullable(type), null);
    }
}
