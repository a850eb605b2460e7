package io.tidemark.engine.io;

import io.tidemark.engine.plan.OnKey;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.util.Arrays;

/**
 * A sample of one table's normalized on keys, read before the table is partitioned by time: only
 * the on column of every row group is decoded (a projection), a batch at a time, and every
 * {@code stride}-th non-NULL key is kept. The sample depends on the files alone.
 */
public final class OnSampler
{
    private static final int BATCH = 1 << 16;

    private OnSampler() {}

    /** About {@code wanted} on keys of {@code table}, ascending. */
    public static long[] sample(InputTable table, int onColumn, OnKey key, int wanted, BufferAllocator allocator)
    {
        long rows = Math.max(1, table.rows());
        long stride = Math.max(1, rows / Math.max(1, wanted));
        Field field = table.schema().getFields().get(onColumn);
        long[] out = new long[(int) Math.min(rows, (long) wanted + table.files().size() * 64L + 16)];
        int n = 0;
        for (InputFile file : table.files()) {
            try (ParquetFileReader reader = ParquetFileReader.open(new NioInputFile(file.path()), InputTable.readOptions());
                    FieldVector vector = field.createVector(allocator);
                    BigIntVector on = new BigIntVector("__on", allocator)) {
                MessageType schema = reader.getFooter().getFileMetaData().getSchema();
                ColumnDescriptor descriptor = schema.getColumns().get(onColumn);
                reader.setRequestedSchema(new MessageType(schema.getName(), schema.getType(onColumn)));
                long seen = 0;
                for (PageReadStore pages; (pages = reader.readNextRowGroup()) != null; ) {
                    ColumnChunkDecoder decoder = new ColumnChunkDecoder(descriptor, pages.getPageReader(descriptor),
                            ArrowParquetTypes.parquetScale(field.getType()));
                    for (long done = 0; done < pages.getRowCount(); ) {
                        int count = (int) Math.min(BATCH, pages.getRowCount() - done);
                        vector.setInitialCapacity(count);
                        vector.allocateNew();
                        decoder.read(vector, count);
                        vector.setValueCount(count);
                        key.normalize(vector, count, on);
                        for (int i = 0; i < count; i++, seen++) {
                            if (seen % stride == 0 && !on.isNull(i)) {
                                if (n == out.length) {
                                    out = Arrays.copyOf(out, n * 2);
                                }
                                out[n++] = on.get(i);
                            }
                        }
                        done += count;
                    }
                }
            }
            catch (IOException | RuntimeException e) {
                throw TidemarkException.fatal(file.path() + ": column " + field.getName() + ": cannot read: " + e.getMessage());
            }
        }
        long[] sample = Arrays.copyOf(out, n);
        Arrays.sort(sample);
        return sample;
    }
}
