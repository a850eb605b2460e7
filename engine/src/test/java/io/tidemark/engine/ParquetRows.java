package io.tidemark.engine;

import io.tidemark.engine.io.InputFile;
import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.io.RowGroupReader;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helper: a Parquet file or dataset read back as rows of Java values, with its Arrow schema. */
public record ParquetRows(Schema schema, List<List<Object>> rows)
{
    public static ParquetRows read(String path)
    {
        InputTable table = InputTable.open(path);
        List<List<Object>> rows = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(table.schema(), allocator)) {
            for (InputFile file : table.files()) {
                for (int g = 0; g < file.footer().getBlocks().size(); g++) {
                    if (file.footer().getBlocks().get(g).getRowCount() == 0) {
                        continue;
                    }
                    try (RowGroupReader reader = new RowGroupReader(file, g, table.schema())) {
                        while (reader.next(root, 4096) > 0) {
                            for (int r = 0; r < root.getRowCount(); r++) {
                                List<Object> row = new ArrayList<>();
                                for (int c = 0; c < root.getFieldVectors().size(); c++) {
                                    row.add(normalize(root.getVector(c).getObject(r)));
                                }
                                rows.add(row);
                            }
                        }
                    }
                }
            }
            root.clear();
        }
        return new ParquetRows(table.schema(), rows);
    }

    private static Object normalize(Object value)
    {
        if (value instanceof byte[]) {
            return Arrays.toString((byte[]) value);
        }
        if (value instanceof org.apache.arrow.vector.util.Text) {
            return value.toString();
        }
        return value;
    }

    public int column(String name)
    {
        for (int i = 0; i < schema.getFields().size(); i++) {
            if (schema.getFields().get(i).getName().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + name);
    }
}
