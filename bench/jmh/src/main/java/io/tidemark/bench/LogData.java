package io.tidemark.bench;

import io.tidemark.engine.io.ParquetSink;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Synthetic server logs, the shape of bench/run.py's "logs" data set: {@code ts} timestamp[us] in
 * random order over one day, {@code url} ~45-byte strings drawn from {@value #URLS} distinct ones
 * with a Zipf(1.1) skew, {@code status} int16, {@code bytes} int64, {@code latency} double. No
 * nulls. Deterministic for a given seed, so every fork benchmarks the same bytes.
 */
public final class LogData
{
    public static final int ROWS = 1_000_000;
    public static final int URLS = 100_000;
    public static final long SEED = 42;
    /** One day in microseconds: the span of ts. */
    public static final long DAY_MICROS = 86_400_000_000L;
    /** 2024-01-01T00:00:00Z in microseconds. */
    public static final long T0 = 1_704_067_200_000_000L;
    /** The CLI's defaults (--row-group-size 64m, --row-group-rows 1000000): 1M rows make one row group. */
    public static final long ROW_GROUP_BYTES = 64L << 20;
    public static final int ROW_GROUP_ROWS = 1_000_000;
    /** MemoryBudget.batchBytes() at its cap: the batch size of a job with enough memory. */
    public static final long BATCH_BYTES = 8L << 20;

    public static final Schema SCHEMA = new Schema(List.of(
            field("ts", new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)),
            field("url", ArrowType.Utf8.INSTANCE),
            field("status", new ArrowType.Int(16, true)),
            field("bytes", new ArrowType.Int(64, true)),
            field("latency", new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE))));

    private static final short[] STATUS = {200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 304, 404, 301, 500};
    private static final char[] PATH = "abcdefghijklmnopqrstuvwxyz0123456789/-_".toCharArray();

    private LogData() {}

    private static Field field(String name, ArrowType type)
    {
        return new Field(name, FieldType.nullable(type), null);
    }

    /** The distinct urls, most frequent first; 35 to 55 bytes, about 45 on average. */
    public static byte[][] urls(int count, long seed)
    {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        byte[][] urls = new byte[count][];
        StringBuilder s = new StringBuilder(64);
        for (int i = 0; i < count; i++) {
            s.setLength(0);
            s.append("https://cdn").append(random.nextInt(10)).append(".example.com/");   // 25 bytes
            int len = 10 + random.nextInt(21);                                             // 10..30
            for (int c = 0; c < len; c++) {
                s.append(PATH[random.nextInt(PATH.length)]);
            }
            urls[i] = s.toString().getBytes(StandardCharsets.UTF_8);
        }
        return urls;
    }

    /** Zipf ranks in [0, n): the cumulative distribution, to sample by binary search. */
    public static double[] zipfCdf(int n, double exponent)
    {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / Math.pow(k + 1, exponent);
            cdf[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cdf[k] /= sum;
        }
        return cdf;
    }

    public static int sample(double[] cdf, SplittableRandom random)
    {
        int i = Arrays.binarySearch(cdf, random.nextDouble());
        return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }

    /** Skewed key ids in [0, keys): the same Zipf skew as the urls. */
    public static int[] skewedKeys(int rows, int keys, long seed)
    {
        double[] cdf = zipfCdf(keys, 1.1);
        SplittableRandom random = new SplittableRandom(seed);
        int[] out = new int[rows];
        for (int i = 0; i < rows; i++) {
            out[i] = sample(cdf, random);
        }
        return out;
    }

    /** {@code rows} log rows in a new root of {@link #SCHEMA}; the caller closes it. */
    public static VectorSchemaRoot generate(BufferAllocator allocator, int rows, long seed)
    {
        byte[][] urls = urls(URLS, seed);
        int[] urlOf = skewedKeys(rows, URLS, seed + 1);
        SplittableRandom random = new SplittableRandom(seed + 2);
        VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator);
        try {
            TimeStampMicroVector ts = (TimeStampMicroVector) root.getVector("ts");
            VarCharVector url = (VarCharVector) root.getVector("url");
            SmallIntVector status = (SmallIntVector) root.getVector("status");
            BigIntVector bytes = (BigIntVector) root.getVector("bytes");
            Float8Vector latency = (Float8Vector) root.getVector("latency");
            long urlBytes = 0;
            for (int i = 0; i < rows; i++) {
                urlBytes += urls[urlOf[i]].length;
            }
            for (FieldVector v : root.getFieldVectors()) {
                v.setInitialCapacity(rows);
            }
            root.allocateNew();
            url.allocateNew(urlBytes, rows);
            for (int i = 0; i < rows; i++) {
                ts.set(i, T0 + random.nextLong(DAY_MICROS));
                url.set(i, urls[urlOf[i]]);
                status.set(i, STATUS[random.nextInt(STATUS.length)]);
                bytes.set(i, (long) Math.exp(6 + 3 * random.nextDouble()));      // 400 B .. 3 MB, log-uniform
                latency.set(i, -Math.log(1 - random.nextDouble()) * 0.050);      // exponential, mean 50 ms
            }
            root.setRowCount(rows);
            return root;
        }
        catch (RuntimeException e) {
            root.close();
            throw e;
        }
    }

    /** Writes {@code root} to {@code path} with the engine's sink and the CLI's row group defaults; returns the file size. */
    public static long write(VectorSchemaRoot root, Path path)
    {
        try (ParquetSink sink = new ParquetSink(path, root.getSchema(), ROW_GROUP_BYTES, ROW_GROUP_ROWS)) {
            sink.write(root);
        }
        try {
            return Files.size(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes of the Arrow buffers that hold the rows (validity, offsets, data), not the capacity. */
    public static long arrowBytes(VectorSchemaRoot root)
    {
        long total = 0;
        for (FieldVector v : root.getFieldVectors()) {
            total += v.getBufferSize();
        }
        return total;
    }

    public static Path tempDir(String what)
    {
        try {
            return Files.createTempDirectory("tidemark-jmh-" + what + "-");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteTree(Path dir)
    {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
