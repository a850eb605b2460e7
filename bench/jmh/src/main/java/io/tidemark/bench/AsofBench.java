package io.tidemark.bench;

import io.tidemark.engine.kernel.AsofKernel;
import io.tidemark.engine.kernel.RadixSort;
import io.tidemark.protocol.Direction;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Stage 4, the as-of merge: {@link AsofKernel#match} of 1M left rows against 200k right rows over
 * 100k keys (Zipf-skewed ids), timestamps over one day, exact matches allowed, no tolerance.
 * <ul>
 * <li>{@code sorted}: rows are stored in (on, ordinal) order, so the sorted row lists are 0..n-1
 * and every array is walked sequentially;</li>
 * <li>{@code shuffled}: rows are stored in random (input) order and the sorted row lists are
 * permutations, as the engine has them after PreparedShard: every on-key and key-id read is a
 * random access.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Darrow.enable_unsafe_memory_access=true", "-Xms2g", "-Xmx2g"})
public class AsofBench
{
    static final int LEFT = 1_000_000;
    static final int RIGHT = 200_000;
    static final int KEYS = 100_000;

    @Param({"BACKWARD", "NEAREST"})
    public Direction direction;

    @Param({"sorted", "shuffled"})
    public String layout;

    private AsofKernel kernel;
    private int[] leftSorted;
    private long[] leftOn;
    private int[] leftKey;
    private int[] rightSorted;
    private long[] rightOn;
    private int[] rightKey;

    /** Rates of left (output) rows, and MB of the kernel's input and output arrays, each counted once. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates
    {
        public long rows;
        public double arrayMB;

        @Setup(Level.Iteration)
        public void reset()
        {
            rows = 0;
            arrayMB = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        kernel = new AsofKernel(direction, true, null, false);
        SplittableRandom random = new SplittableRandom(LogData.SEED);
        boolean sorted = layout.equals("sorted");
        leftOn = times(LEFT, random);
        leftKey = LogData.skewedKeys(LEFT, KEYS, LogData.SEED + 10);
        rightOn = times(RIGHT, random);
        rightKey = LogData.skewedKeys(RIGHT, KEYS, LogData.SEED + 11);
        leftSorted = order(leftOn);
        rightSorted = order(rightOn);
        if (sorted) {
            leftOn = permute(leftOn, leftSorted);
            leftKey = permute(leftKey, leftSorted);
            rightOn = permute(rightOn, rightSorted);
            rightKey = permute(rightKey, rightSorted);
            leftSorted = identity(LEFT);
            rightSorted = identity(RIGHT);
        }
    }

    private static long[] times(int n, SplittableRandom random)
    {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = LogData.T0 + random.nextLong(LogData.DAY_MICROS);
        }
        return t;
    }

    private static int[] identity(int n)
    {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    private static int[] order(long[] on)
    {
        long[] ord = new long[on.length];
        for (int i = 0; i < ord.length; i++) {
            ord[i] = i;
        }
        return RadixSort.sort(identity(on.length), on, ord);
    }

    private static long[] permute(long[] values, int[] order)
    {
        long[] out = new long[values.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = values[order[i]];
        }
        return out;
    }

    private static int[] permute(int[] values, int[] order)
    {
        int[] out = new int[values.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = values[order[i]];
        }
        return out;
    }

    @Benchmark
    public int[] match(Rates rates)
    {
        int[] out = kernel.match(leftSorted, leftOn, leftKey, rightSorted, rightOn, rightKey, KEYS);
        rates.rows += LEFT;
        // sorted rows 4 B + on 8 B + key id 4 B per input row, plus the 4-byte match per left row
        rates.arrayMB += (LEFT * 20.0 + RIGHT * 16.0) / 1e6;
        return out;
    }
}
