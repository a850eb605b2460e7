package io.tidemark.engine.kernel;

import io.tidemark.engine.plan.Hashing;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;

import java.util.Arrays;

/**
 * The values of one string column of a piece numbered, when they are few (a user agent, a state):
 * equal ids for equal strings, -1 for a null row, and the first row of each id. Read in row order,
 * so each string is hashed once while its bytes stream past; output batches then copy each row's
 * string from its id's first row (in cache) instead of from the row itself (a random read), and
 * carry the ids so the encoder looks each distinct value up in its dictionary once per batch. A
 * column with many distinct values (a URL) is given up on after its first block of rows.
 *
 * @param ids the id of each row, -1 for a null (2 bytes a row: ids stay below {@link #MAX_DISTINCT})
 * @param firstRows the first row of each id
 */
public record ValueIds(short[] ids, int[] firstRows)
{
    /** Rows between checks of the distinct count. */
    private static final int BLOCK = 4096;
    /** At most this many distinct values: past it a column is not numbered. */
    public static final int MAX_DISTINCT = 1 << 14;

    /** The id of row {@code row}, -1 for a null. */
    public int id(int row)
    {
        return ids[row];
    }

    /** The first row of the id of row {@code row} (a row with the same string), or -1 for a null. */
    public int firstRow(int row)
    {
        int id = ids[row];
        return id < 0 ? -1 : firstRows[id];
    }

    /**
     * The numbered values of {@code vector}, or null when it has more distinct values than one in
     * eight of its rows (plus a few) or than {@link #MAX_DISTINCT}.
     */
    public static ValueIds of(BaseVariableWidthVector vector)
    {
        int rows = vector.getValueCount();
        short[] ids = new short[rows];
        if (rows == 0) {
            return new ValueIds(ids, new int[0]);
        }
        ArrowBuf validity = vector.getValidityBuffer();
        ArrowBuf offsets = vector.getOffsetBuffer();
        ArrowBuf data = vector.getDataBuffer();
        KeySlots table = new KeySlots();
        int[] reps = new int[64];
        for (int block = 0; block < rows; block += BLOCK) {
            int end = Math.min(rows, block + BLOCK);
            for (int row = block; row < end; row++) {
                if (BitVectorHelper.get(validity, row) == 0) {
                    ids[row] = -1;
                    continue;
                }
                int start = offsets.getInt(4L * row);
                int length = offsets.getInt(4L * row + 4) - start;
                long hash = Hashing.bytes(data, start, length);
                int id = find(table, reps, offsets, data, hash, start, length);
                if (id < 0) {
                    id = table.add(hash);
                    if (id == reps.length) {
                        reps = Arrays.copyOf(reps, 2 * id);
                    }
                    reps[id] = row;
                }
                ids[row] = (short) id;
            }
            if (table.size() > MAX_DISTINCT || table.size() > end / 8 + 64) {
                return null;
            }
        }
        return new ValueIds(ids, Arrays.copyOf(reps, table.size()));
    }

    private static int find(KeySlots table, int[] reps, ArrowBuf offsets, ArrowBuf data, long hash, int start, int length)
    {
        for (int slot = table.start(hash); ; slot = table.next(slot)) {
            int id = table.key(slot);
            if (id < 0) {
                return -1;
            }
            if (table.hash(slot) == hash) {
                int rep = offsets.getInt(4L * reps[id]);
                if (offsets.getInt(4L * reps[id] + 4) - rep == length && Hashing.equalBytes(data, rep, data, start, length)) {
                    return id;
                }
            }
        }
    }
}
