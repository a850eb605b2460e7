package io.tidemark.bench;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The physical floor the stages are compared with, on the same bytes as the decode benchmark's input:
 * <ul>
 * <li>{@code sequentialRead}: the Parquet file read start to end through a {@link FileChannel} into
 * a reused 1 MiB direct buffer (page cache to user memory: what any reader of the file must pay);</li>
 * <li>{@code memcpy}: as many bytes copied from one Arrow buffer to another ({@code ArrowBuf.setBytes},
 * i.e. Unsafe.copyMemory): the memory bandwidth one core gets.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Darrow.enable_unsafe_memory_access=true", "-Xms2g", "-Xmx2g"})
public class FloorBench
{
    private static final int CHUNK = 1 << 20;

    private BufferAllocator allocator;
    private ArrowBuf from;
    private ArrowBuf to;
    private ByteBuffer chunk;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates
    {
        public double MB;

        @Setup(Level.Iteration)
        public void reset()
        {
            MB = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp(ParquetInput input)
    {
        allocator = new RootAllocator();
        from = allocator.buffer(input.fileBytes);
        to = allocator.buffer(input.fileBytes);
        for (long i = 0; i + 8 <= input.fileBytes; i += 8) {   // touch every page of both
            from.setLong(i, i * 0x9E3779B97F4A7C15L);
            to.setLong(i, 0);
        }
        chunk = ByteBuffer.allocateDirect(CHUNK);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        from.close();
        to.close();
        allocator.close();
    }

    @Benchmark
    public long sequentialRead(ParquetInput input, Rates rates)
            throws IOException
    {
        long total = 0;
        try (FileChannel channel = FileChannel.open(input.file, StandardOpenOption.READ)) {
            int n;
            while ((n = channel.read(chunk.clear())) > 0) {
                total += n;
            }
        }
        if (total != input.fileBytes) {
            throw new IllegalStateException("read " + total + " of " + input.fileBytes + " bytes");
        }
        rates.MB += total / 1e6;
        return total;
    }

    @Benchmark
    public ArrowBuf memcpy(ParquetInput input, Rates rates)
    {
        to.setBytes(0, from, 0, input.fileBytes);
        rates.MB += input.fileBytes / 1e6;
        return to;
    }
}
