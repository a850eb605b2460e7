package io.tidemark.engine.io;

import io.tidemark.engine.ParquetRows;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Spark's legacy INT96 timestamps read as timestamp[ns], equal to the same instants stored as int64 (make_int96.py). */
class Int96Test
{
    @Test
    void int96TimestampsReadAsNanoseconds()
    {
        ParquetRows expected = ParquetRows.read("src/test/resources/int96/expected_int64.parquet");
        for (String file : new String[] {"int96_plain.parquet", "int96_dictionary.parquet"}) {
            ParquetRows actual = ParquetRows.read("src/test/resources/int96/" + file);
            assertThat(actual.schema().getFields().get(0).getType()).isEqualTo(new ArrowType.Timestamp(TimeUnit.NANOSECOND, null));
            assertThat(actual.rows()).as(file).isEqualTo(expected.rows());
        }
    }
}
