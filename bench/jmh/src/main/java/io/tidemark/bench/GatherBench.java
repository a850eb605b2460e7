package io.tidemark.bench;

import io.tidemark.engine.vec.Gather;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Stage 5, gather: {@link Gather#gather} of 1M rows of one column ({@code bytes}: BigIntVector,
 * {@code url}: VarCharVector of ~45-byte strings) into a vector reserved once, by a random
 * permutation (the output assembler's and the router's access pattern) and, for reference, by the
 * identity (the per-row cost without cache misses).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Darrow.enable_unsafe_memory_access=true", "-Xms2g", "-Xmx2g"})
public class GatherBench
{
    @Param({"bigint", "varchar"})
    public String column;

    @Param({"random", "sequential"})
    public String index;

    private BufferAllocator allocator;
    private VectorSchemaRoot data;
    private FieldVector src;
    private FieldVector dst;
    private int[] idx;
    private int rows;
    private long bytes;

    /** Rates of rows, and MB of the target's buffers written (validity, offsets, data). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates
    {
        public long rows;
        public double outMB;

        @Setup(Level.Iteration)
        public void reset()
        {
            rows = 0;
            outMB = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        allocator = new RootAllocator();
        rows = LogData.ROWS;
        data = LogData.generate(allocator, rows, LogData.SEED);
        src = data.getVector(column.equals("bigint") ? "bytes" : "url");
        idx = new int[rows];
        for (int i = 0; i < rows; i++) {
            idx[i] = i;
        }
        if (index.equals("random")) {
            SplittableRandom random = new SplittableRandom(LogData.SEED);
            for (int i = rows - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        dst = src.getField().createVector(allocator);
        Gather.reserve(dst, rows, Gather.dataBytes(src, idx, 0, rows));
        Gather.gather(src, idx, rows, dst, 0);
        dst.setValueCount(rows);
        bytes = dst.getBufferSize();
        for (int i = 0; i < rows; i += 99_991) {
            if (!src.getObject(idx[i]).equals(dst.getObject(i))) {
                throw new AssertionError("gather is wrong at row " + i);
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        dst.close();
        data.close();
        allocator.close();
    }

    @Benchmark
    public FieldVector gather(Rates rates)
    {
        Gather.gather(src, idx, rows, dst, 0);
        dst.setValueCount(rows);
        rates.rows += rows;
        rates.outMB += bytes / 1e6;
        return dst;
    }
}
