package io.tidemark.bench;

import io.tidemark.engine.io.InputFile;
import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.io.RowGroupReader;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
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

import java.util.concurrent.TimeUnit;

/**
 * Stage 1, Parquet decode to Arrow: {@code InputTable.open} (footer) and a {@link RowGroupReader}
 * per row group, read in batches of the size the partitioner uses. One op = the whole file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Darrow.enable_unsafe_memory_access=true", "-Xms2g", "-Xmx2g"})
public class DecodeBench
{
    private BufferAllocator allocator;

    /** Per-second rates JMH reports next to ops/s: rows, MB (10^6 bytes) of Parquet file and of decoded Arrow buffers. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Rates
    {
        public long rows;
        public double fileMB;
        public double arrowMB;

        @Setup(Level.Iteration)
        public void reset()
        {
            rows = 0;
            fileMB = 0;
            arrowMB = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        allocator = new RootAllocator();
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        allocator.close();
    }

    @Benchmark
    public long decode(ParquetInput input, Rates rates)
    {
        InputTable table = InputTable.open(input.file.toString());
        long rows = 0;
        long arrow = 0;
        try (VectorSchemaRoot root = VectorSchemaRoot.create(table.schema(), allocator)) {
            for (InputFile file : table.files()) {
                for (int g = 0; g < file.footer().getBlocks().size(); g++) {
                    int maxRows = batchRows(file.footer().getBlocks().get(g));
                    try (RowGroupReader reader = new RowGroupReader(file, g, table.schema())) {
                        int n;
                        while ((n = reader.next(root, maxRows)) > 0) {
                            rows += n;
                            arrow += LogData.arrowBytes(root);
                        }
                    }
                }
            }
        }
        rates.rows += rows;
        rates.fileMB += input.fileBytes / 1e6;
        rates.arrowMB += arrow / 1e6;
        return rows;
    }

    /** Rows per batch as Partitioner sizes them for {@link LogData#BATCH_BYTES}. */
    static int batchRows(BlockMetaData block)
    {
        long rowBytes = Math.max(16, block.getTotalByteSize() / Math.max(1, block.getRowCount()) + 24);
        return (int) Math.max(1024, Math.min(1 << 17, LogData.BATCH_BYTES / rowBytes));
    }
}
