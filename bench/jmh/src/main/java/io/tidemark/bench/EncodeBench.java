package io.tidemark.bench;

import io.tidemark.engine.io.ParquetSink;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Stage 6, Parquet encode: a new {@link ParquetSink} per op (the CLI's row group defaults, Snappy,
 * dictionary on), {@code write(root)} of 1M in-memory log rows, {@code close()} (footer). The file
 * is deleted outside the measured time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Darrow.enable_unsafe_memory_access=true", "-Xms2g", "-Xmx2g"})
public class EncodeBench
{
    private BufferAllocator allocator;
    private VectorSchemaRoot data;
    private long arrowBytes;
    private Path dir;
    private Path file;

    /** Rates of rows, MB of Arrow input and MB of Parquet output. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates
    {
        public long rows;
        public double arrowMB;
        public double fileMB;

        @Setup(Level.Iteration)
        public void reset()
        {
            rows = 0;
            arrowMB = 0;
            fileMB = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        allocator = new RootAllocator();
        data = LogData.generate(allocator, LogData.ROWS, LogData.SEED);
        arrowBytes = LogData.arrowBytes(data);
        dir = LogData.tempDir("encode");
        file = dir.resolve("out.parquet");
    }

    @TearDown(Level.Invocation)
    public void deleteFile()
            throws IOException
    {
        Files.deleteIfExists(file);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        data.close();
        allocator.close();
        LogData.deleteTree(dir);
    }

    @Benchmark
    public long encode(Rates rates)
    {
        try (ParquetSink sink = new ParquetSink(file, data.getSchema(), LogData.ROW_GROUP_BYTES, LogData.ROW_GROUP_ROWS)) {
            sink.write(data);
        }
        long size;
        try {
            size = Files.size(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rates.rows += data.getRowCount();
        rates.arrowMB += arrowBytes / 1e6;
        rates.fileMB += size / 1e6;
        return size;
    }
}
