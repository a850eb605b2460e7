package io.tidemark.bench;

import io.tidemark.engine.io.InputFile;
import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.partition.Partitioner;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.Side;
import io.tidemark.protocol.JoinSpec;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stage 2, partitioning one side: {@link Partitioner} reads the file's row groups (so decode is
 * included), adds on key, ordinal and by-key hash, and routes rows to 32 bucket spill files (Arrow
 * IPC) in a fresh spill folder per op. The folder is deleted outside the measured time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Darrow.enable_unsafe_memory_access=true", "-Xms2g", "-Xmx2g"})
public class PartitionBench
{
    @Param("32")
    public int buckets;

    private BufferAllocator allocator;
    private JoinPlan plan;
    private Path spillRoot;
    private SpillDir spill;
    private long spilled;

    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates
    {
        public long rows;
        public double fileMB;
        /** Arrow IPC bytes written to the spill files. */
        public double spillMB;

        @Setup(Level.Iteration)
        public void reset()
        {
            rows = 0;
            fileMB = 0;
            spillMB = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp(ParquetInput input)
    {
        allocator = new RootAllocator();
        InputTable left = InputTable.open(input.file.toString());
        InputTable right = InputTable.open(input.file.toString());
        plan = new JoinPlan(JoinSpec.asof("ts", List.of("url")), left, right);
        spillRoot = LogData.tempDir("spill");
    }

    @Setup(Level.Invocation)
    public void newSpillDir()
    {
        spill = new SpillDir(spillRoot, "bench");
    }

    @TearDown(Level.Invocation)
    public void deleteSpillDir()
    {
        spill.close();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        allocator.close();
        LogData.deleteTree(spillRoot);
        System.out.printf("%n[partition] spilled %,d bytes per op%n", spilled);
    }

    @Benchmark
    public long partition(ParquetInput input, Rates rates)
    {
        long rows = 0;
        Partitioner partitioner = new Partitioner(plan, Side.LEFT, buckets, LogData.BATCH_BYTES, allocator, spill, 0);
        try {
            for (InputFile file : plan.table(Side.LEFT).files()) {
                for (int g = 0; g < file.footer().getBlocks().size(); g++) {
                    partitioner.partition(file, g, n -> { });
                    rows += file.footer().getBlocks().get(g).getRowCount();
                }
            }
        }
        finally {
            partitioner.close();   // ends and flushes the spill streams: part of the stage
        }
        spilled = partitioner.bytesWritten();
        rates.rows += rows;
        rates.fileMB += input.fileBytes / 1e6;
        rates.spillMB += spilled / 1e6;
        return rows;
    }
}
