package io.tidemark.bench;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;

/**
 * The input file of the read-side benchmarks: {@link LogData#ROWS} log rows written once per fork
 * with the engine's own {@link io.tidemark.engine.io.ParquetSink} into a temporary folder (so it
 * sits in the page cache: these are CPU figures, not disk figures).
 */
@State(Scope.Benchmark)
public class ParquetInput
{
    public Path dir;
    public Path file;
    public long fileBytes;
    /** Bytes of the same rows as Arrow vectors (validity, offsets, data). */
    public long arrowBytes;
    public int rows;

    @Setup(Level.Trial)
    public void write()
    {
        rows = LogData.ROWS;
        dir = LogData.tempDir("input");
        file = dir.resolve("logs.parquet");
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = LogData.generate(allocator, rows, LogData.SEED)) {
            arrowBytes = LogData.arrowBytes(root);
            fileBytes = LogData.write(root, file);
        }
        System.out.printf("%n[input] %,d rows, Parquet file %,d bytes, Arrow %,d bytes%n", rows, fileBytes, arrowBytes);
    }

    @TearDown(Level.Trial)
    public void delete()
    {
        LogData.deleteTree(dir);
    }
}
