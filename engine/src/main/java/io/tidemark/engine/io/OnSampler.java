package io.tidemark.engine.io;

import io.tidemark.engine.partition.KeySketch;
import io.tidemark.engine.plan.KeyColumns;
import io.tidemark.engine.plan.OnKey;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.parquet.hadoop.metadata.BlockMetaData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a time-range plan needs to know of one table before it is partitioned: a sample of its
 * normalized on keys (every {@code stride}-th non-NULL key, ascending) and, when asked for by
 * columns, a sketch of how many distinct by keys it holds (hashed as the partitioner hashes them;
 * one dictionary-encoded by column from its dictionaries alone, {@link DictionarySketch}). Only those
 * columns are decoded (a projection), a batch at a time. The work comes in {@link Parts} (a row
 * group each, and the dictionaries) that any thread may read in any order; the result depends on
 * the files alone.
 */
public final class OnSampler
{
    private static final int BATCH = 1 << 16;

    /** The sampled on keys, ascending, and the by keys' sketch (empty without by columns). */
    public record Sample(long[] keys, KeySketch byKeys) {}

    /** What one part read: its sampled keys (the first {@code count}) and its sketch. */
    public record Part(long[] keys, int count, KeySketch byKeys) {}

    private OnSampler() {}

    /** About {@code wanted} on keys of {@code table}; {@code byColumns} (maybe none) are sketched. Reads on this thread. */
    public static Sample sample(InputTable table, int onColumn, OnKey key, int[] byColumns, int wanted, BufferAllocator allocator)
    {
        return sample(table, onColumn, key, byColumns, wanted, allocator, true);
    }

    /** @param dictionaries sketch one dictionary-encoded by column from its dictionaries ({@link DictionarySketch}) */
    static Sample sample(InputTable table, int onColumn, OnKey key, int[] sketched, int wanted, BufferAllocator allocator,
            boolean dictionaries)
    {
        Parts parts = new Parts(table, onColumn, key, sketched, wanted, dictionaries);
        List<Part> read = new ArrayList<>();
        for (int i = 0; i < parts.count(); i++) {
            read.add(parts.read(i, allocator));
        }
        return parts.merge(read);
    }

    /** The parts of one table's sample, from its footers alone. */
    public static Parts parts(InputTable table, int onColumn, OnKey key, int[] byColumns, int wanted)
    {
        return new Parts(table, onColumn, key, byColumns, wanted, true);
    }

    /**
     * One table's sample as parts: the dictionary sketch first (when it applies), then each row group
     * read, with the count of rows read before it (so the stride picks the rows one pass would).
     */
    public static final class Parts
    {
        private final InputTable table;
        private final OnKey key;
        private final boolean fromDictionaries;
        private final int sketchedColumn;
        /** By columns sketched row by row. */
        private final int[] byColumns;
        private final int[] columns;
        private final int onIndex;
        private final long stride;
        private final List<Group> groups = new ArrayList<>();

        /** A row-group part: its file, its row group, and the rows of the parts before it. */
        private record Group(int file, int rowGroup, long rowsBefore) {}

        private Parts(InputTable table, int onColumn, OnKey key, int[] sketched, int wanted, boolean dictionaries)
        {
            this.table = table;
            this.key = key;
            this.fromDictionaries = dictionaries && sketched.length == 1 && DictionarySketch.applies(table.files(), sketched[0]);
            this.sketchedColumn = sketched.length == 1 ? sketched[0] : -1;
            this.byColumns = fromDictionaries ? new int[0] : sketched;
            // a sketch counts every key; a sample alone may skip row groups that the footers show to be alike
            boolean[][] read = byColumns.length > 0 ? null : SampledRowGroups.of(table.files(), onColumn, wanted);
            long rows = 0;
            for (int f = 0; f < table.files().size(); f++) {
                List<BlockMetaData> blocks = table.files().get(f).footer().getBlocks();
                for (int g = 0; g < blocks.size(); g++) {
                    if (read == null || read[f][g]) {
                        groups.add(new Group(f, g, rows));
                        rows += blocks.get(g).getRowCount();
                    }
                }
            }
            this.stride = Math.max(1, Math.max(1, rows) / Math.max(1, wanted));
            this.columns = java.util.stream.IntStream.concat(java.util.stream.IntStream.of(onColumn), Arrays.stream(byColumns))
                    .distinct().sorted().toArray();   // a projection keeps file order
            this.onIndex = Arrays.binarySearch(columns, onColumn);
        }

        public int count()
        {
            return groups.size() + (fromDictionaries ? 1 : 0);
        }

        /** Reads part {@code i}; parts are independent of each other. */
        public Part read(int i, BufferAllocator allocator)
        {
            if (fromDictionaries && i == 0) {
                return new Part(new long[0], 0, DictionarySketch.of(table, sketchedColumn, allocator));
            }
            Group group = groups.get(fromDictionaries ? i - 1 : i);
            return readGroup(group.file(), group.rowGroup(), group.rowsBefore(), allocator);
        }

        /** The sample of every part, in any order. */
        public Sample merge(List<Part> parts)
        {
            KeySketch sketch = new KeySketch();
            int n = 0;
            for (Part p : parts) {
                sketch.merge(p.byKeys());
                n += p.count();
            }
            long[] keys = new long[n];
            int at = 0;
            for (Part p : parts) {
                System.arraycopy(p.keys(), 0, keys, at, p.count());
                at += p.count();
            }
            Arrays.sort(keys);
            return new Sample(keys, sketch);
        }

        private Part readGroup(int f, int g, long seenBefore, BufferAllocator allocator)
        {
            InputFile file = table.files().get(f);
            long groupRows = file.footer().getBlocks().get(g).getRowCount();
            if (groupRows == 0) {
                return new Part(new long[0], 0, new KeySketch());
            }
            long[] out = new long[(int) Math.min(groupRows + 1, groupRows / stride + 2)];
            int n = 0;
            KeySketch sketch = new KeySketch();
            int[] byIndices = new int[byColumns.length];
            for (int b = 0; b < byColumns.length; b++) {
                byIndices[b] = Arrays.binarySearch(columns, byColumns[b]);
            }
            try (RowGroupReader reader = new RowGroupReader(file, g, table.schema(), columns);
                    VectorSchemaRoot root = VectorSchemaRoot.create(reader.schema(), allocator);
                    BigIntVector on = new BigIntVector("__on", allocator)) {
                long seen = seenBefore;
                for (int count; (count = reader.next(root, BATCH)) > 0; ) {
                    key.normalize(root.getVector(onIndex), count, on);
                    if (byColumns.length > 0) {
                        KeyColumns keys = new KeyColumns(root, byIndices);
                        for (int i = 0; i < count; i++) {
                            if (!on.isNull(i)) {
                                sketch.add(keys.hash(i));
                            }
                        }
                    }
                    // every stride-th row of the table: the first of this batch is the next multiple of stride
                    for (long i = (stride - seen % stride) % stride; i < count; i += stride) {
                        if (!on.isNull((int) i)) {
                            if (n == out.length) {
                                out = Arrays.copyOf(out, n * 2 + 1);
                            }
                            out[n++] = on.get((int) i);
                        }
                    }
                    seen += count;
                }
                return new Part(out, n, sketch);
            }
        }
    }
}
