package io.tidemark.engine.io;

import io.tidemark.engine.partition.KeySketch;
import io.tidemark.engine.plan.KeyColumns;
import io.tidemark.engine.plan.OnKey;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a time-range plan needs to know of one table before it is partitioned: a sample of its
 * normalized on keys (every {@code stride}-th non-NULL key, ascending) and, when asked for by
 * columns, a sketch of how many distinct by keys it holds (hashed as the partitioner hashes them;
 * one dictionary-encoded by column from its dictionaries alone, {@link DictionarySketch}). Only those
 * columns are decoded (a projection), a batch at a time; the result depends on the files alone.
 */
public final class OnSampler
{
    private static final int BATCH = 1 << 16;

    /** The sampled on keys, ascending, and the by keys' sketch (empty without by columns). */
    public record Sample(long[] keys, KeySketch byKeys) {}

    private OnSampler() {}

    /** About {@code wanted} on keys of {@code table}; {@code byColumns} (maybe none) are sketched. */
    public static Sample sample(InputTable table, int onColumn, OnKey key, int[] byColumns, int wanted, BufferAllocator allocator)
    {
        return sample(table, onColumn, key, byColumns, wanted, allocator, true);
    }

    /** @param dictionaries sketch one dictionary-encoded by column from its dictionaries ({@link DictionarySketch}) */
    static Sample sample(InputTable table, int onColumn, OnKey key, int[] sketched, int wanted, BufferAllocator allocator,
            boolean dictionaries)
    {
        boolean fromDictionaries = dictionaries && sketched.length == 1 && DictionarySketch.applies(table.files(), sketched[0]);
        KeySketch sketch = fromDictionaries ? DictionarySketch.of(table, sketched[0], allocator) : new KeySketch();
        int[] byColumns = fromDictionaries ? new int[0] : sketched;   // by columns sketched row by row
        // a sketch counts every key; a sample alone may skip row groups that the footers show to be alike
        boolean[][] read = byColumns.length > 0 ? null : SampledRowGroups.of(table.files(), onColumn, wanted);
        long rows = 0;
        for (int f = 0; f < table.files().size(); f++) {
            List<BlockMetaData> groups = table.files().get(f).footer().getBlocks();
            for (int g = 0; g < groups.size(); g++) {
                rows += read == null || read[f][g] ? groups.get(g).getRowCount() : 0;
            }
        }
        rows = Math.max(1, rows);
        long stride = Math.max(1, rows / Math.max(1, wanted));
        int[] columns = columns(onColumn, byColumns);
        List<Field> fields = new ArrayList<>();
        for (int c : columns) {
            fields.add(table.schema().getFields().get(c));
        }
        long[] out = new long[(int) Math.min(rows, (long) wanted + table.files().size() * 64L + 16)];
        int n = 0;
        String[] reading = {fields.get(0).getName()};
        for (int f = 0; f < table.files().size(); f++) {
            InputFile file = table.files().get(f);
            List<FieldVector> vectors = new ArrayList<>();
            try (ParquetFileReader reader = ParquetFileReader.open(new NioInputFile(file.path()), InputTable.readOptions());
                    BigIntVector on = new BigIntVector("__on", allocator)) {
                fields.forEach(field -> vectors.add(field.createVector(allocator)));
                MessageType schema = reader.getFooter().getFileMetaData().getSchema();
                List<Type> projected = new ArrayList<>();
                for (int c : columns) {
                    projected.add(schema.getType(c));
                }
                reader.setRequestedSchema(new MessageType(schema.getName(), projected));
                VectorSchemaRoot root = new VectorSchemaRoot(vectors);
                int[] byIndices = new int[byColumns.length];
                for (int b = 0; b < byColumns.length; b++) {
                    byIndices[b] = indexOf(columns, byColumns[b]);
                }
                int onIndex = indexOf(columns, onColumn);
                long seen = 0;
                for (int g = 0; ; g++) {
                    if (read != null && g < read[f].length && !read[f][g]) {
                        reader.skipNextRowGroup();
                        continue;
                    }
                    PageReadStore pages = reader.readNextRowGroup();
                    if (pages == null) {
                        break;
                    }
                    ColumnChunkDecoder[] decoders = new ColumnChunkDecoder[columns.length];
                    for (int i = 0; i < columns.length; i++) {
                        ColumnDescriptor descriptor = schema.getColumns().get(columns[i]);
                        decoders[i] = new ColumnChunkDecoder(descriptor, pages.getPageReader(descriptor),
                                ArrowParquetTypes.parquetScale(fields.get(i).getType()));
                    }
                    for (long done = 0; done < pages.getRowCount(); ) {
                        int count = (int) Math.min(BATCH, pages.getRowCount() - done);
                        for (int i = 0; i < columns.length; i++) {
                            FieldVector v = vectors.get(i);
                            v.setInitialCapacity(count);
                            v.allocateNew();
                            reading[0] = fields.get(i).getName();
                            decoders[i].read(v, count);
                            v.setValueCount(count);
                        }
                        root.setRowCount(count);
                        key.normalize(vectors.get(onIndex), count, on);
                        KeyColumns keys = byColumns.length == 0 ? null : new KeyColumns(root, byIndices);
                        for (int i = 0; i < count; i++, seen++) {
                            if (keys != null && !on.isNull(i)) {
                                sketch.add(keys.hash(i));
                            }
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
                throw TidemarkException.fatal(file.path() + ": column " + reading[0] + ": cannot read: " + e.getMessage());
            }
            finally {
                vectors.forEach(FieldVector::close);
            }
        }
        long[] sample = Arrays.copyOf(out, n);
        Arrays.sort(sample);
        return new Sample(sample, sketch);
    }

    /** The on column and the by columns, each once, in file order (a projection keeps file order). */
    private static int[] columns(int onColumn, int[] byColumns)
    {
        return java.util.stream.IntStream.concat(java.util.stream.IntStream.of(onColumn), Arrays.stream(byColumns))
                .distinct().sorted().toArray();
    }

    private static int indexOf(int[] columns, int column)
    {
        return Arrays.binarySearch(columns, column);
    }
}
