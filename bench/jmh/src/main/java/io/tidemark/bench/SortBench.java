package io.tidemark.bench;

import io.tidemark.engine.kernel.RadixSort;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Stage 3, sort: {@link RadixSort#sort} of row indices by (on key, ordinal), as PreparedShard sorts
 * a piece, against {@link Arrays#sort(long[])} of the same keys (a direct comparison sort of the
 * values alone: the floor a comparison sort sets). Keys are timestamps in microseconds over one day
 * (37 bits), n/4 distinct values in random order, so every key appears about 4 times.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Darrow.enable_unsafe_memory_access=true", "-Xms2g", "-Xmx2g"})
public class SortBench
{
    @Param({"1000000", "4000000"})
    public int n;

    private int[] rows;
    private long[] key;
    private long[] ord;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates
    {
        public long rows;

        @Setup(Level.Iteration)
        public void reset()
        {
            rows = 0;
        }
    }

    /** A fresh copy of the keys before every Arrays.sort call (copying is not measured). */
    @State(Scope.Thread)
    public static class Scratch
    {
        long[] values;

        @Setup(Level.Invocation)
        public void copy(SortBench bench)
        {
            if (values == null || values.length != bench.n) {
                values = new long[bench.n];
            }
            System.arraycopy(bench.key, 0, values, 0, bench.n);
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        SplittableRandom random = new SplittableRandom(LogData.SEED);
        long[] distinct = new long[Math.max(1, n / 4)];
        for (int i = 0; i < distinct.length; i++) {
            distinct[i] = LogData.T0 + random.nextLong(LogData.DAY_MICROS);
        }
        rows = new int[n];
        key = new long[n];
        ord = new long[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
            key[i] = distinct[random.nextInt(distinct.length)];
            ord[i] = i;
        }
    }

    @Benchmark
    public int[] radixSort(Rates rates)
    {
        rates.rows += n;
        return RadixSort.sort(rows, key, ord);
    }

    @Benchmark
    public long[] arraysSort(Scratch scratch, Rates rates)
    {
        Arrays.sort(scratch.values);
        rates.rows += n;
        return scratch.values;
    }
}
