package io.tidemark.engine.io;

import io.tidemark.engine.plan.OnKey;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A by column sketched from its dictionaries counts the keys that decoding every row counts: the
 * same hashes, so the same sketch (strings, integers, floats, timestamps, dates), and chunks that
 * fell back to plain pages are decoded. The files come from src/test/resources/encodings.
 */
class OnSamplerTest
{
    private static final Path DIR = Paths.get("src/test/resources/encodings");

    @Test
    void dictionariesSketchTheKeysThatEveryRowHolds()
    {
        assertSameSketch("dictionary_v1_snappy.parquet", List.of("s", "i32", "i64", "ts", "d", "f64"));
        assertSameSketch("dictionary_v2_zstd.parquet", List.of("s", "i16", "ts"));
    }

    @Test
    void chunksThatFellBackToPlainPagesAreDecoded()
    {
        InputTable table = InputTable.open(DIR.resolve("dictionary_fallback.parquet").toString());
        assertThat(DictionarySketch.applies(table.files(), column(table, "s"))).isFalse();
        InputTable plain = InputTable.open(DIR.resolve("reference.parquet").toString());
        assertThat(DictionarySketch.applies(plain.files(), column(plain, "s"))).isFalse();
        try (BufferAllocator allocator = new RootAllocator()) {
            // 50 strings and NULL: below the sketch's size, so counted exactly
            assertThat(sample(table, "s", allocator, true).byKeys().distinct()).isEqualTo(51);
        }
    }

    /**
     * The parts of a sample (the dictionaries, each row group) read in any order pick the rows one
     * pass over the files would: every stride-th row of all the row groups read, counted across them.
     */
    @Test
    void partsReadInAnyOrderPickTheRowsOfOnePass()
    {
        for (String file : List.of("dictionary_v1_snappy.parquet", "dictionary_fallback.parquet", "reference.parquet")) {
            InputTable table = InputTable.open(DIR.resolve(file).toString());
            int on = column(table, "req");
            Field field = table.schema().getFields().get(on);
            OnKey key = OnKey.resolve("t", field, "t", field)[0];
            try (BufferAllocator allocator = new RootAllocator()) {
                OnSampler.Parts parts = OnSampler.parts(table, on, key, new int[] {column(table, "s")}, 37);
                assertThat(parts.count()).as(file).isGreaterThan(2);
                List<OnSampler.Part> read = new java.util.ArrayList<>();
                for (int i = parts.count() - 1; i >= 0; i--) {
                    read.add(parts.read(i, allocator));
                }
                OnSampler.Sample merged = parts.merge(read);
                long[] everyStride = everyStride(table, on, key, 5000 / 37, allocator);
                assertThat(merged.keys()).as(file).hasSizeGreaterThan(30).isEqualTo(everyStride);
                assertThat(merged.byKeys().distinct()).as(file).isEqualTo(sample(table, "s", allocator, true).byKeys().distinct());
            }
        }
    }

    /** The on keys of rows 0, stride, 2 * stride, ... of the whole table, in row order across row groups, sorted. */
    private static long[] everyStride(InputTable table, int on, OnKey key, long stride, BufferAllocator allocator)
    {
        List<Long> keys = new java.util.ArrayList<>();
        long row = 0;
        for (InputFile file : table.files()) {
            for (int g = 0; g < file.footer().getBlocks().size(); g++) {
                try (RowGroupReader reader = new RowGroupReader(file, g, table.schema());
                        org.apache.arrow.vector.VectorSchemaRoot root = org.apache.arrow.vector.VectorSchemaRoot.create(table.schema(), allocator);
                        org.apache.arrow.vector.BigIntVector normalized = new org.apache.arrow.vector.BigIntVector("on", allocator)) {
                    for (int n; (n = reader.next(root, 1000)) > 0; ) {
                        key.normalize(root.getVector(on), n, normalized);
                        for (int i = 0; i < n; i++, row++) {
                            if (row % stride == 0 && !normalized.isNull(i)) {
                                keys.add(normalized.get(i));
                            }
                        }
                    }
                }
            }
        }
        return keys.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    private static void assertSameSketch(String file, List<String> columns)
    {
        InputTable table = InputTable.open(DIR.resolve(file).toString());
        try (BufferAllocator allocator = new RootAllocator()) {
            for (String name : columns) {
                assertThat(DictionarySketch.applies(table.files(), column(table, name))).as(file + " " + name).isTrue();
                OnSampler.Sample fromDictionaries = sample(table, name, allocator, true);
                OnSampler.Sample decoded = sample(table, name, allocator, false);
                assertThat(fromDictionaries.byKeys().distinct()).as(file + " " + name).isEqualTo(decoded.byKeys().distinct());
                assertThat(fromDictionaries.keys()).as(file + " " + name).isEqualTo(decoded.keys());
            }
            assertThat(sample(table, "s", allocator, true).byKeys().distinct()).isEqualTo(51);
        }
    }

    /** A sample on {@code req} (no nulls: every row's key counts on both paths) sketching {@code by}. */
    private static OnSampler.Sample sample(InputTable table, String by, BufferAllocator allocator, boolean dictionaries)
    {
        int on = column(table, "req");
        Field field = table.schema().getFields().get(on);
        OnKey key = OnKey.resolve("t", field, "t", field)[0];
        return OnSampler.sample(table, on, key, new int[] {column(table, by)}, 100, allocator, dictionaries);
    }

    private static int column(InputTable table, String name)
    {
        List<Field> fields = table.schema().getFields();
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).getName().equals(name)) {
                return i;
            }
        }
        throw new AssertionError(name);
    }
}
