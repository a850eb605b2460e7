package io.tidemark.engine.io;

import io.tidemark.engine.ParquetRows;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reader decodes every page layout pyarrow writes (data pages v1 and v2, dictionary, PLAIN,
 * DELTA_*, BYTE_STREAM_SPLIT, RLE booleans; snappy, zstd, gzip, none) to the same rows.
 * The files come from src/test/resources/encodings/make_encodings.py.
 */
class EncodingsTest
{
    private static final Path DIR = Paths.get("src/test/resources/encodings");

    @TestFactory
    Stream<DynamicTest> everyLayoutReadsTheSameRows()
            throws IOException
    {
        ParquetRows reference = ParquetRows.read(DIR.resolve("reference.parquet").toString());
        assertThat(reference.rows()).hasSize(5000);
        List<Path> files;
        try (Stream<Path> all = Files.list(DIR)) {
            files = all.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(5);
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ParquetRows rows = ParquetRows.read(file.toString());
            assertThat(rows.schema()).isEqualTo(reference.schema());
            for (int r = 0; r < reference.rows().size(); r++) {
                assertThat(rows.rows().get(r)).as("row " + r).isEqualTo(reference.rows().get(r));
            }
        }));
    }
}
