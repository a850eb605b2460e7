package io.tidemark.engine.vec;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatherTest
{
    private static final int ROWS = 300;
    private BufferAllocator allocator;

    @BeforeEach
    void open()
    {
        allocator = new RootAllocator(64 << 20);
    }

    @AfterEach
    void close()
    {
        allocator.close();
    }

    /**
     * A gather told whether its source holds NULLs ({@link Gather#hasNulls}, read once per batch by
     * the router) copies the same rows as one that looks itself: NULLs and -1 rows come out NULL.
     */
    @Test
    void gatherWithTheSourcesNullsKnownCopiesTheSame()
    {
        try (BigIntVector numbers = new BigIntVector("n", allocator); VarCharVector strings = new VarCharVector("s", allocator);
                BigIntVector numbersOut = new BigIntVector("no", allocator); VarCharVector stringsOut = new VarCharVector("so", allocator)) {
            numbers.allocateNew(ROWS);
            strings.allocateNew(ROWS);
            for (int r = 0; r < ROWS; r++) {
                if (r % 9 == 4) {
                    numbers.setNull(r);
                    strings.setNull(r);
                }
                else {
                    numbers.set(r, r * 3L);
                    strings.setSafe(r, ("v" + r).getBytes(StandardCharsets.UTF_8));
                }
            }
            numbers.setValueCount(ROWS);
            strings.setValueCount(ROWS);
            assertTrue(Gather.hasNulls(numbers));
            int[] idx = new int[ROWS];
            for (int j = 0; j < ROWS; j++) {
                idx[j] = j % 11 == 0 ? -1 : (j * 37) % ROWS;
            }
            Gather.reserve(numbersOut, ROWS, 0);
            Gather.reserve(stringsOut, ROWS, 4 * ROWS);
            Gather.gather(numbers, idx, 0, ROWS, numbersOut, 0, Gather.hasNulls(numbers));
            Gather.gather(strings, idx, 0, ROWS, stringsOut, 0, Gather.hasNulls(strings));
            numbersOut.setValueCount(ROWS);
            stringsOut.setValueCount(ROWS);
            for (int j = 0; j < ROWS; j++) {
                int s = idx[j];
                boolean isNull = s < 0 || s % 9 == 4;
                assertEquals(isNull, numbersOut.isNull(j), "row " + j);
                assertEquals(isNull ? null : s * 3L, numbersOut.getObject(j));
                assertEquals(isNull ? null : "v" + s, stringsOut.getObject(j) == null ? null : stringsOut.getObject(j).toString());
            }
            for (int r = 0; r < ROWS; r++) {
                if (r % 9 == 4) {
                    numbers.set(r, 1);
                }
            }
            assertFalse(Gather.hasNulls(numbers));
        }
    }

    /** Strings of every length up to 80 bytes, gathered in reverse, come out whole (copies of the last one to seven bytes included). */
    @Test
    void stringsOfEveryLengthAreCopiedWhole()
    {
        int n = 81;
        try (VarCharVector src = new VarCharVector("s", allocator); VarCharVector out = new VarCharVector("o", allocator)) {
            src.allocateNew(n);
            String[] values = new String[n];
            for (int r = 0; r < n; r++) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < r; i++) {
                    b.append((char) ('a' + (r * 7 + i * 3) % 26));
                }
                values[r] = b.toString();
                src.setSafe(r, values[r].getBytes(StandardCharsets.UTF_8));
            }
            src.setValueCount(n);
            int[] idx = new int[n];
            for (int j = 0; j < n; j++) {
                idx[j] = n - 1 - j;
            }
            Gather.gather(src, idx, n, out, 0);
            out.setValueCount(n);
            for (int j = 0; j < n; j++) {
                assertEquals(values[n - 1 - j], out.getObject(j).toString(), "length " + (n - 1 - j));
            }
        }
    }

    /** A null before the first whole word, inside a word, and in the tail after the last whole word. */
    @Test
    void nullsAreCopiedWhereverTheyAre()
    {
        for (int nullRow : new int[] {3, 64, 130, 299}) {
            try (BigIntVector longs = longs(nullRow); VarCharVector strings = strings(nullRow);
                    BigIntVector longsOut = new BigIntVector("l", allocator); VarCharVector stringsOut = new VarCharVector("s", allocator)) {
                int[] idx = {nullRow, 0, nullRow, ROWS - 1 == nullRow ? 1 : ROWS - 1};
                Gather.gather(longs, idx, idx.length, longsOut, 0);
                Gather.gather(strings, idx, idx.length, stringsOut, 0);
                longsOut.setValueCount(idx.length);
                stringsOut.setValueCount(idx.length);
                for (int j = 0; j < idx.length; j++) {
                    if (idx[j] == nullRow) {
                        assertTrue(longsOut.isNull(j), "row " + nullRow);
                        assertNull(stringsOut.getObject(j), "row " + nullRow);
                    }
                    else {
                        assertEquals(idx[j] * 10L, longsOut.get(j));
                        assertEquals("v" + idx[j], stringsOut.getObject(j).toString());
                    }
                }
            }
        }
    }

    /** A gather of few rows from a large source looks at those rows only, and still finds their nulls. */
    @Test
    void aFewRowsFromALargeVectorAreCheckedOneByOne()
    {
        try (BigIntVector large = new BigIntVector("large", allocator); BigIntVector out = new BigIntVector("out", allocator)) {
            large.allocateNew(10_000);
            for (int i = 0; i < 10_000; i++) {
                if (i != 7_777) {
                    large.set(i, i);
                }
            }
            large.setValueCount(10_000);
            assertFalse(Gather.anyNull(large, new int[] {5, 9_999, -1, 42}, 0, 4), "the null row is not among them");
            int[] idx = {5, 7_777, 9_999};
            assertTrue(Gather.anyNull(large, idx, 0, 3));
            Gather.gather(large, idx, idx.length, out, 0);
            out.setValueCount(3);
            assertEquals(5L, out.get(0));
            assertTrue(out.isNull(1));
            assertEquals(9_999L, out.get(2));
        }
    }

    /**
     * Setting a run valid sets exactly its bits, for every start and length across the short runs
     * (stores) and the long ones (the native fill): no bit before or after it changes.
     */
    @Test
    void validRunsSetExactlyTheirBits()
    {
        int bits = 8 * 600;
        try (ArrowBuf validity = allocator.buffer(bits / 8)) {
            for (int from = 0; from < 20; from++) {
                for (int count : new int[] {0, 1, 7, 8, 9, 63, 64, 65, 200, 2047, 2048, 2049, 2100, bits - 40}) {
                    validity.setZero(0, bits / 8);
                    Gather.setValid(validity, from, count);
                    for (int i = 0; i < bits; i++) {
                        boolean set = i >= from && i < from + count;
                        assertEquals(set ? 1 : 0, BitVectorHelper.get(validity, i), "bit " + i + " of run " + from + "+" + count);
                    }
                }
            }
        }
    }

    /** An append looks only at the rows it copies. */
    @Test
    void appendSeesOnlyItsRows()
    {
        try (BigIntVector longs = longs(200)) {
            assertFalse(Gather.anyNull(longs, null, 0, 200));
            assertFalse(Gather.anyNull(longs, null, 201, 99));
            assertTrue(Gather.anyNull(longs, null, 190, 20));
            assertTrue(Gather.anyNull(longs, new int[] {0, 1, 2, 3, 4}, 0, 5), "a gather of as many rows as words scans the whole source");
            try (BigIntVector out = new BigIntVector("l", allocator)) {
                Gather.append(longs, 195, 10, out, 0);
                out.setValueCount(10);
                for (int j = 0; j < 10; j++) {
                    assertEquals(195 + j == 200, out.isNull(j));
                }
                assertEquals(1, out.getNullCount());
            }
        }
    }

    private BigIntVector longs(int nullRow)
    {
        BigIntVector v = new BigIntVector("l", allocator);
        v.allocateNew(ROWS);
        for (int i = 0; i < ROWS; i++) {
            if (i == nullRow) {
                v.setNull(i);
            }
            else {
                v.set(i, i * 10L);
            }
        }
        v.setValueCount(ROWS);
        return v;
    }

    private VarCharVector strings(int nullRow)
    {
        VarCharVector v = new VarCharVector("s", allocator);
        v.allocateNew(ROWS);
        for (int i = 0; i < ROWS; i++) {
            if (i == nullRow) {
                v.setNull(i);
            }
            else {
                v.setSafe(i, ("v" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        v.setValueCount(ROWS);
        return v;
    }

    /** A vector reserved without clearing its values still starts with every row null (on memory left dirty), empty, with room for its rows. */
    @Test
    void reservedFixedWidthStartsAllNullOnDirtyMemory()
    {
        for (int round = 0; round < 3; round++) {
            try (ArrowBuf dirty = allocator.buffer(64 << 10)) {
                dirty.setOne(0, dirty.capacity());
            }
            try (BigIntVector v = new BigIntVector("v", allocator)) {
                Gather.reserve(v, 5000, 0);
                assertEquals(0, v.getValueCount());
                assertTrue(v.getValueCapacity() >= 5000);
                for (int r = 0; r < 5000; r++) {
                    assertEquals(0, BitVectorHelper.get(v.getValidityBuffer(), r));
                }
                // gathered rows are valid, an index of -1 stays null whatever its value bytes hold
                try (BigIntVector src = new BigIntVector("s", allocator)) {
                    src.allocateNew(3);
                    src.set(0, 10);
                    src.set(1, 11);
                    src.set(2, 12);
                    src.setValueCount(3);
                    Gather.gather(src, new int[] {2, -1, 0}, 3, v, 0);
                    v.setValueCount(3);
                    assertEquals(12, v.get(0));
                    assertTrue(v.isNull(1));
                    assertEquals(10, v.get(2));
                    assertEquals(1, v.getNullCount());
                }
            }
        }
    }
}
