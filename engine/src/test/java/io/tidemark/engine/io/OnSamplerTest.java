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
