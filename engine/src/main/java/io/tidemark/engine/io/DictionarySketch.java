package io.tidemark.engine.io;

import io.tidemark.engine.partition.KeySketch;
import io.tidemark.engine.plan.KeyColumns;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.util.List;

/**
 * The distinct keys of a table's one by column when every chunk of it is dictionary-encoded (the
 * footers' encoding statistics say no data page fell back to plain values): a chunk's dictionary
 * holds the values of its rows, so hashing the entries of every dictionary, and NULL where a chunk
 * may hold nulls, sketches the keys that hashing every row would, without decoding a data page
 * (taq-20M's symbols: 4 dictionaries of a few hundred entries instead of 4M rows). It may count a
 * key too many (one held only by rows whose on key is NULL, or an entry no row uses): an estimate
 * that errs high, as the plan's margin does.
 */
final class DictionarySketch
{
    private DictionarySketch() {}

    /** Whether every row group holds {@code column} as a dictionary and dictionary-encoded pages only. */
    static boolean applies(List<InputFile> files, int column)
    {
        for (InputFile file : files) {
            for (BlockMetaData group : file.footer().getBlocks()) {
                if (group.getRowCount() == 0) {
                    continue;
                }
                if (column >= group.getColumns().size()) {
                    return false;
                }
                ColumnChunkMetaData chunk = group.getColumns().get(column);
                EncodingStats stats = chunk.getEncodingStats();
                if (stats == null || !stats.hasDictionaryPages() || !stats.hasDictionaryEncodedPages() || stats.hasNonDictionaryEncodedPages()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The sketch of {@code column}'s values over every row group; {@link #applies} must hold. */
    static KeySketch of(InputTable table, int column, BufferAllocator allocator)
    {
        KeySketch sketch = new KeySketch();
        Field field = table.schema().getFields().get(column);
        long divisor = ArrowParquetTypes.parquetScale(field.getType());
        for (InputFile file : table.files()) {
            try (ParquetFileReader reader = file.open(InputTable.readOptions())) {
                MessageType schema = reader.getFooter().getFileMetaData().getSchema();
                ColumnDescriptor descriptor = schema.getColumns().get(column);
                reader.setRequestedSchema(new MessageType(schema.getName(), List.of(schema.getType(column))));
                List<BlockMetaData> groups = reader.getFooter().getBlocks();
                for (int g = 0; g < groups.size(); g++) {
                    if (groups.get(g).getRowCount() == 0) {
                        continue;   // the reader passes over empty row groups itself
                    }
                    PageReadStore pages = reader.readNextRowGroup();
                    DictionaryPage page = pages.getPageReader(descriptor).readDictionaryPage();
                    if (page == null) {
                        throw new IllegalStateException("row group " + g + " has no dictionary");
                    }
                    boolean nulls = mayHoldNulls(groups.get(g).getColumns().get(column));
                    add(sketch, DictionaryValues.decode(descriptor, page), page.getDictionarySize(), nulls, field, divisor, allocator);
                }
            }
            catch (IOException | RuntimeException e) {
                throw TidemarkException.fatal(file.path() + ": column " + field.getName() + ": cannot read: " + e.getMessage());
            }
        }
        return sketch;
    }

    /** Hashes every entry as a row holding it is hashed ({@link KeyColumns#hash}), and a NULL row after them when asked. */
    private static void add(KeySketch sketch, DictionaryValues values, int entries, boolean nulls, Field field, long divisor,
            BufferAllocator allocator)
    {
        int rows = entries + (nulls ? 1 : 0);
        try (FieldVector vector = field.createVector(allocator)) {
            vector.setInitialCapacity(Math.max(1, rows));
            vector.allocateNew();
            for (int i = 0; i < entries; i++) {
                values.copy(i, vector, i, divisor);
            }
            if (nulls) {
                vector.setNull(entries);
            }
            vector.setValueCount(rows);
            VectorSchemaRoot root = new VectorSchemaRoot(List.of(vector));
            KeyColumns keys = new KeyColumns(root, new int[] {0});
            for (int i = 0; i < rows; i++) {
                sketch.add(keys.hash(i));
            }
        }
    }

    private static boolean mayHoldNulls(ColumnChunkMetaData chunk)
    {
        Statistics<?> stats = chunk.getStatistics();
        return stats == null || !stats.isNumNullsSet() || stats.getNumNulls() > 0;
    }
}
