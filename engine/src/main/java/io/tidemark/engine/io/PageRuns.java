package io.tidemark.engine.io;

import io.tidemark.engine.vec.Gather;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;

import java.nio.ByteBuffer;

/**
 * {@link ColumnChunkDecoder}'s bulk path: a page's values taken a run of definition levels at a
 * time (an all-defined page is one run), fixed-width values copied or looked up in the dictionary
 * for the whole run, strings written straight into the vector's offset and data buffers.
 */
final class PageRuns
{
    private final int maxDefinition;
    private final DictionaryValues dictionary;
    private int[] ids = new int[0];

    PageRuns(int maxDefinition, DictionaryValues dictionary)
    {
        this.maxDefinition = maxDefinition;
        this.dictionary = dictionary;
    }

    /** Rows [at, at + k) of fixed-width values: defined runs are copied (PLAIN) or looked up (dictionary) in bulk. */
    void fixed(FieldVector vector, int at, int k, HybridDecoder definitions, ByteBuffer plain, HybridDecoder indices, int width)
    {
        ArrowBuf data = vector.getDataBuffer();
        ArrowBuf validity = vector.getValidityBuffer();
        int done = 0;
        while (done < k) {
            int run = nextRun(definitions, k - done);
            int row = at + done;
            if (nullRun(definitions)) {
                for (int j = row; j < row + run; j++) {
                    BitVectorHelper.setValidityBit(validity, j, 0);
                }
            }
            else {
                if (plain != null) {
                    int bytes = run * width;
                    data.setBytes((long) row * width, plain.array(), plain.arrayOffset() + plain.position(), bytes);
                    plain.position(plain.position() + bytes);
                }
                else {
                    dictionary.copy(ids(indices, run), run, data.memoryAddress() + (long) row * width, width);
                }
                Gather.setValid(validity, row, run);
            }
            done += run;
        }
    }

    /**
     * Strings of rows [at, at + k) from a PLAIN or dictionary page, run by run: offsets and bytes
     * written straight into the vector's buffers, whose data buffer grows at most once per run.
     */
    void strings(BaseVariableWidthVector vector, int at, int k, HybridDecoder definitions, ByteBuffer plain, HybridDecoder indices)
    {
        vector.fillEmpties(at);   // offsets of earlier rows left null by the per-value path
        ArrowBuf offsets = vector.getOffsetBuffer();
        ArrowBuf validity = vector.getValidityBuffer();
        int cursor = offsets.getInt(4L * at);
        int done = 0;
        while (done < k) {
            int run = nextRun(definitions, k - done);
            int row = at + done;
            if (nullRun(definitions)) {
                for (int j = row; j < row + run; j++) {
                    BitVectorHelper.setValidityBit(validity, j, 0);
                    offsets.setInt(4L * j + 4, cursor);
                }
            }
            else {
                if (plain != null) {
                    // what is left of the page bounds the run's bytes
                    reserve(vector, (long) cursor + plain.remaining());
                    cursor = plainStrings(plain, vector.getDataBuffer(), offsets, row, run, cursor);
                }
                else {
                    int[] entries = ids(indices, run);
                    reserve(vector, cursor + dictionary.bytes(entries, run));
                    cursor = dictionary.copyStrings(entries, run, vector.getDataBuffer(), offsets, row, cursor);
                }
                Gather.setValid(validity, row, run);
            }
            done += run;
        }
        vector.setLastSet(at + k - 1);
    }

    /** The next run of equal definition levels, at most {@code max} rows (all of them when the column is required). */
    private int nextRun(HybridDecoder definitions, int max)
    {
        return maxDefinition == 0 ? max : definitions.run(max);
    }

    /** Whether the run {@link #nextRun} returned is of nulls. */
    private boolean nullRun(HybridDecoder definitions)
    {
        return maxDefinition > 0 && definitions.value() < maxDefinition;
    }

    /** The next {@code run} dictionary indices, in a reused array. */
    private int[] ids(HybridDecoder indices, int run)
    {
        if (ids.length < run) {
            ids = new int[Math.max(run, 1024)];
        }
        indices.read(ids, run);
        return ids;
    }

    private static void reserve(BaseVariableWidthVector vector, long bytes)
    {
        while (vector.getDataBuffer().capacity() < bytes) {
            vector.reallocDataBuffer();
        }
    }

    private static int plainStrings(ByteBuffer plain, ArrowBuf data, ArrowBuf offsets, int row, int run, int cursor)
    {
        byte[] page = plain.array();
        int base = plain.arrayOffset();
        int position = plain.position();
        for (int j = row; j < row + run; j++) {
            int length = (page[base + position] & 0xFF) | (page[base + position + 1] & 0xFF) << 8
                    | (page[base + position + 2] & 0xFF) << 16 | (page[base + position + 3] & 0xFF) << 24;
            data.setBytes(cursor, page, base + position + 4, length);
            position += 4 + length;
            cursor += length;
            offsets.setInt(4L * j + 4, cursor);
        }
        plain.position(position);
        return cursor;
    }
}
