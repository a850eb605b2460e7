package io.tidemark.engine.kernel;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A piece's string column of few values is numbered: equal strings share an id and a first row
 * holding the same string, nulls have none; a column of many values is not numbered.
 */
class ValueIdsTest
{
    private static final String[] VALUES = {"Mozilla/5.0 (X11; Linux x86_64)", "curl/8.4.0", "", "naïve 日本", "Mozilla/5.0 (X11; Linux x86_64) "};

    @Test
    void equalStringsShareAnIdAndAFirstRow()
    {
        try (BufferAllocator allocator = new RootAllocator(16 << 20);
                VarCharVector vector = new VarCharVector("s", allocator)) {
            int rows = 10_000;
            vector.allocateNew(rows);
            for (int r = 0; r < rows; r++) {
                if (r % 17 == 3) {
                    vector.setNull(r);
                }
                else {
                    vector.setSafe(r, VALUES[(r * 7 + r / 5) % VALUES.length].getBytes(StandardCharsets.UTF_8));
                }
            }
            vector.setValueCount(rows);
            ValueIds ids = ValueIds.of(vector);
            assertThat(ids).isNotNull();
            assertThat(ids.firstRows()).hasSize(VALUES.length);
            for (int r = 0; r < rows; r++) {
                if (vector.isNull(r)) {
                    assertThat(ids.id(r)).isEqualTo(-1);
                    assertThat(ids.firstRow(r)).isEqualTo(-1);
                    continue;
                }
                int first = ids.firstRow(r);
                assertThat(first).isLessThanOrEqualTo(r);
                assertThat(vector.getObject(first)).isEqualTo(vector.getObject(r));
                assertThat(ids.id(first)).isEqualTo(ids.id(r));
                for (int other = 0; other < 40; other++) {
                    boolean same = !vector.isNull(other) && vector.getObject(other).equals(vector.getObject(r));
                    assertThat(ids.id(other) == ids.id(r)).as("rows %d and %d", r, other).isEqualTo(same);
                }
            }
        }
    }

    @Test
    void manyDistinctValuesAreNotNumbered()
    {
        try (BufferAllocator allocator = new RootAllocator(16 << 20);
                VarCharVector vector = new VarCharVector("s", allocator)) {
            int rows = 20_000;
            vector.allocateNew(rows);
            for (int r = 0; r < rows; r++) {
                vector.setSafe(r, ("https://example.com/p/" + (r / 2)).getBytes(StandardCharsets.UTF_8));
            }
            vector.setValueCount(rows);
            assertThat(ValueIds.of(vector)).isNull();
        }
    }
}
