package io.tidemark.cli;

import io.tidemark.engine.io.InputFile;
import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.io.RowGroupReader;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares the rows of two Parquet outputs (a file or a dataset directory) by a hash of each row, so
 * outputs of a million rows compare in the test JVM's heap; on a difference it reads the files again
 * for the rows behind the differing hashes.
 */
final class OutputDigest
{
    private OutputDigest() {}

    /** Row-for-row: same schema, same rows in the same order. */
    static void assertSameRowsInOrder(Path expected, Path actual)
    {
        assertEquals(InputTable.open(expected.toString()).schema(), InputTable.open(actual.toString()).schema());
        long[] want = rowHashes(expected);
        long[] got = rowHashes(actual);
        for (int i = 0; i < Math.min(want.length, got.length); i++) {
            if (want[i] != got[i]) {
                fail("row " + i + " differs: expected " + rowsMatching(expected, want[i]) + " but got " + rowsMatching(actual, got[i]));
            }
        }
        assertEquals(want.length, got.length, "row count of " + actual);
    }

    /** As multisets: same schema, same rows in any order (a dataset directory against one file). */
    static void assertSameRows(Path expected, Path actual)
    {
        assertEquals(InputTable.open(expected.toString()).schema(), InputTable.open(actual.toString()).schema());
        long[] want = rowHashes(expected);
        long[] got = rowHashes(actual);
        Arrays.sort(want);
        Arrays.sort(got);
        for (int i = 0; i < Math.min(want.length, got.length); i++) {
            if (want[i] != got[i]) {
                long missing = Math.min(want[i], got[i]);
                fail("row multisets differ (" + want.length + " rows expected, " + got.length + " got); for example expected "
                        + rowsMatching(expected, missing) + ", got " + rowsMatching(actual, missing));
            }
        }
        assertEquals(want.length, got.length, "row count of " + actual);
    }

    /** A 64-bit FNV-1a hash of each row's values, in file order. */
    private static long[] rowHashes(Path path)
    {
        List<Long> hashes = new ArrayList<>();
        forEachRow(path, row -> hashes.add(hash(row)));
        return hashes.stream().mapToLong(Long::longValue).toArray();
    }

    private static List<String> rowsMatching(Path path, long hash)
    {
        List<String> rows = new ArrayList<>();
        forEachRow(path, row -> {
            if (hash(row) == hash && rows.size() < 3) {
                rows.add(row);
            }
        });
        return rows;
    }

    private static long hash(String row)
    {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < row.length(); i++) {
            h = (h ^ row.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    /**
     * Each row of a Parquet file or dataset as text, one row group batch at a time (reading all
     * rows as objects, as ParquetRows does, would not fit the test JVM's heap at this size).
     */
    private static void forEachRow(Path path, Consumer<String> sink)
    {
        InputTable table = InputTable.open(path.toString());
        try (BufferAllocator allocator = new RootAllocator(); VectorSchemaRoot root = VectorSchemaRoot.create(table.schema(), allocator)) {
            for (InputFile file : table.files()) {
                for (int g = 0; g < file.footer().getBlocks().size(); g++) {
                    try (RowGroupReader reader = new RowGroupReader(file, g, table.schema())) {
                        while (reader.next(root, 8192) > 0) {
                            for (int r = 0; r < root.getRowCount(); r++) {
                                sink.accept(row(root, r));
                            }
                        }
                    }
                }
            }
            root.clear();
        }
    }

    /** Row {@code r} of the batch: its values as text, tab-separated. */
    private static String row(VectorSchemaRoot root, int r)
    {
        StringBuilder row = new StringBuilder();
        for (int c = 0; c < root.getFieldVectors().size(); c++) {
            Object v = root.getVector(c).getObject(r);
            row.append(c == 0 ? "" : "\t").append(v instanceof byte[] ? Arrays.toString((byte[]) v) : String.valueOf(v));
        }
        return row.toString();
    }
}
