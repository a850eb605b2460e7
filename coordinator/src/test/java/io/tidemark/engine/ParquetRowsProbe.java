package io.tidemark.engine;

import io.tidemark.engine.io.InputFile;
import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.io.RowGroupReader;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.file.Path;

/** Test helper: row count and sum of the first (int64) column of a Parquet file, read by the engine's reader. */
public record ParquetRowsProbe(long count, long sum)
{
    public static ParquetRowsProbe read(Path path)
    {
        InputTable table = InputTable.open(path.toString());
        long count = 0;
        long sum = 0;
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(table.schema(), allocator)) {
            for (InputFile file : table.files()) {
                for (int g = 0; g < file.footer().getBlocks().size(); g++) {
                    try (RowGroupReader reader = new RowGroupReader(file, g, table.schema())) {
                        int n;
                        while ((n = reader.next(root, 4096)) > 0) {
                            BigIntVector v = (BigIntVector) root.getVector(0);
                            for (int i = 0; i < n; i++) {
                                sum += v.get(i);
                            }
                            count += n;
                        }
                    }
                }
            }
            root.clear();
        }
        return new ParquetRowsProbe(count, sum);
    }
}
