package io.tidemark.engine.io;

import io.tidemark.engine.vec.Gather;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes one optional column straight from Arrow buffers into Parquet v1 data pages: PLAIN values,
 * RLE/bit-packed definition levels, Snappy, min/max statistics for numbers (strings get none, and
 * so no column index). Strings are dictionary-encoded while the chunk's dictionary fits its page
 * ({@link ChunkDictionary}), PLAIN after that. Pages of the current row group are kept compressed
 * until it is written.
 */
final class ColumnEncoder
{
    private static final int PAGE_BYTES = 1 << 20;
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle INTS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final int PAGE_ROWS = 20_000;

    private final ColumnDescriptor descriptor;
    private final ValueKind kind;
    private final long scale;
    private final List<EncodedChunk.Page> pages = new ArrayList<>();
    private byte[] values = new byte[1 << 16];
    private int length;
    private byte[] defined = new byte[PAGE_ROWS / 8 + 1];
    private int rows;
    private int nulls;
    private final PageStatistics stats;
    /** Shared by the sink's columns: pages end one at a time. */
    private final PageScratch scratch;
    private long chunkValues;
    private long groupBytes;
    /** Strings: this chunk's dictionary, and the ids of the current page's values while it is used. */
    private final ChunkDictionary dictionary;
    private final int[] ids;
    private int idCount;
    /** PLAIN bytes of the values the current page holds as ids. */
    private long idPlainBytes;
    /** The dictionary is full: the rest of this chunk is PLAIN. */
    private boolean plainChunk;
    /** {@link #addRun}'s rows as {@link #add} takes them, for the kinds it does not copy whole. */
    private ArrowBuf[][] runCells = new ArrowBuf[0][];
    private int[] runRows = new int[0];
    /** Strings: dictionary ids by the batch's key ids, when the batch numbers this column's values ({@link #keys}). */
    private final KeyIdMemo memo;

    ColumnEncoder(ColumnDescriptor descriptor, ArrowType type, PageScratch scratch)
    {
        this.descriptor = descriptor;
        this.scratch = scratch;
        this.kind = ValueKind.of(type);
        this.stats = new PageStatistics(kind);
        this.scale = ArrowParquetTypes.parquetScale(type);
        this.dictionary = kind == ValueKind.BYTES ? new ChunkDictionary() : null;
        this.ids = kind == ValueKind.BYTES ? new int[PAGE_ROWS] : null;
        this.memo = kind == ValueKind.BYTES ? new KeyIdMemo() : null;
        resetPage();
    }

    /** The buffers of one column of one batch, looked up once per batch: {validity, data, offsets or null}. */
    static ArrowBuf[] buffers(FieldVector vector)
    {
        boolean variable = vector instanceof org.apache.arrow.vector.BaseVariableWidthVector;
        return new ArrowBuf[] {vector.getValidityBuffer(), vector.getDataBuffer(), variable ? vector.getOffsetBuffer() : null};
    }

    /**
     * The key ids of the next rows' batch (4 bytes per row: equal ids for equal strings, -1 for
     * none; see {@link KeyIdColumn}), or null when the rows come with none. Strings only.
     */
    void keys(ArrowBuf keyIds)
    {
        if (memo != null) {
            memo.use(keyIds);
        }
    }

    /** Uncompressed bytes of this column in the current row group. */
    long groupBytes()
    {
        return groupBytes + length + (dictionary == null ? 0 : dictionary.bytes() + 4L * idCount);
    }

    /** One row of a BOOLEAN or DECIMAL column (the kinds {@link #add(ArrowBuf[][], int[], int, int)} takes row by row). */
    private void addOne(ArrowBuf[] buffers, int row)
    {
        ArrowBuf data = buffers[1];
        if (BitVectorHelper.get(buffers[0], row) == 0) {
            nulls++;
            rows++;
        }
        else {
            defined[rows >>> 3] |= (byte) (1 << (rows & 7));
            rows++;
            if (kind == ValueKind.BOOLEAN) {
                int bit = rows - nulls - 1;
                ensure(bit / 8 + 1);
                if (BitVectorHelper.get(data, row) != 0) {
                    values[bit >>> 3] |= (byte) (1 << (bit & 7));
                    stats.max = 1;
                }
                else {
                    stats.min = 0;
                }
                length = bit / 8 + 1;
            }
            else {
                int width = descriptor.getPrimitiveType().getTypeLength();
                ensure(length + width);
                for (int b = 0; b < width; b++) {   // Arrow: 16 bytes little-endian; Parquet: the low bytes big-endian
                    values[length + b] = data.getByte(16L * row + width - 1 - b);
                }
                length += width;
            }
        }
        if (rows == PAGE_ROWS || length >= PAGE_BYTES) {
            endPage();
        }
    }

    /**
     * Adds rows j in [from, from + count), row j being {@code rows[j]} of the batch whose buffers
     * are {@code buffers[j]}: numbers and strings in one loop per kind (no per-cell call or switch),
     * ending a page after the row that reaches {@link #PAGE_ROWS} rows or {@link #PAGE_BYTES} bytes.
     */
    void add(ArrowBuf[][] buffers, int[] rows, int from, int count)
    {
        int j = from;
        int end = from + count;
        while (j < end) {
            int n = Math.min(end - j, PAGE_ROWS - this.rows);
            switch (kind) {
                case INT64:
                case DOUBLE:
                case INT32:
                case INT16:
                case INT8:
                case FLOAT:
                    n = numbersThatFit(n);
                    addNumbers(buffers, rows, j, n);
                    break;
                case BYTES:
                    n = plainChunk ? addBytes(buffers, rows, j, n) : addIds(buffers, rows, j, n);
                    break;
                case BOOLEAN:
                case DECIMAL:
                    addOne(buffers[j], rows[j]);   // ends its own page
                    j++;
                    continue;
            }
            j += n;
            if (this.rows == PAGE_ROWS || length >= PAGE_BYTES) {
                endPage();
            }
        }
    }

    /**
     * Adds rows [from, from + count) of one batch, in order (a whole batch written at once): 8-byte
     * numbers, INT32 and FLOAT without nulls among them are copied a page's share at a time and
     * their statistics taken over the copy; the rest as {@link #add(ArrowBuf[][], int[], int, int)}
     * takes them. Pages end where that would end them: the files are the same.
     */
    void addRun(ArrowBuf[] buffers, int from, int count)
    {
        boolean copied = kind == ValueKind.INT64 || kind == ValueKind.DOUBLE || kind == ValueKind.INT32 || kind == ValueKind.FLOAT;
        if (!copied || Gather.anyClear(buffers[0], from, from + count)) {
            if (runCells.length < count) {
                runCells = new ArrowBuf[count][];
                runRows = new int[count];
            }
            for (int j = 0; j < count; j++) {
                runCells[j] = buffers;
                runRows[j] = from + j;
            }
            add(runCells, runRows, 0, count);
            return;
        }
        int width = plainWidth();
        for (int row = from; row < from + count; ) {
            int n = numbersThatFit(Math.min(from + count - row, PAGE_ROWS - this.rows));
            copyNumbers(buffers[1], row, n, width);
            row += n;
            if (this.rows == PAGE_ROWS || length >= PAGE_BYTES) {
                endPage();
            }
        }
    }

    /** Bytes of a number of this column in a PLAIN page: 8 for INT64 and DOUBLE, 4 for the rest (narrow ones widened). */
    private int plainWidth()
    {
        return kind == ValueKind.INT64 || kind == ValueKind.DOUBLE ? 8 : 4;
    }

    /**
     * How many of {@code n} numbers (already at most the page's rows left) the open page takes
     * before its bytes are full, with room reserved for them: one rule for both paths, so pages
     * end at the same rows.
     */
    private int numbersThatFit(int n)
    {
        int width = plainWidth();
        int fit = Math.min(n, (PAGE_BYTES - length + width - 1) / width);
        ensure(length + width * fit);
        return fit;
    }

    /** {@code n} non-null numbers of {@code width} bytes from {@code row} of {@code data}, with their statistics; room is reserved. */
    private void copyNumbers(ArrowBuf data, int row, int n, int width)
    {
        data.getBytes((long) width * row, values, length, width * n);
        int end = length + width * n;
        stats.trackPlain(values, length, end, scale);
        DefinitionLevels.setDefined(defined, this.rows, n);
        this.rows += n;
        length = end;
    }

    /**
     * Numbers: INT64 (scaled) and DOUBLE as 8 bytes, INT32, INT16, INT8 (widened) and FLOAT as 4;
     * room is reserved by the caller.
     */
    private void addNumbers(ArrowBuf[][] buffers, int[] rows, int from, int n)
    {
        boolean wide = plainWidth() == 8;
        boolean floating = kind == ValueKind.DOUBLE || kind == ValueKind.FLOAT;
        int r = this.rows;
        int len = length;
        int missing = 0;
        long lo = stats.min;
        long hi = stats.max;
        for (int j = from; j < from + n; j++, r++) {
            ArrowBuf[] b = buffers[j];
            int row = rows[j];
            if (BitVectorHelper.get(b[0], row) == 0) {
                missing++;
                continue;
            }
            defined[r >>> 3] |= (byte) (1 << (r & 7));
            long v = wide ? b[1].getLong(8L * row) : kind == ValueKind.INT16 ? b[1].getShort(2L * row)
                    : kind == ValueKind.INT8 ? b[1].getByte(row) : b[1].getInt(4L * row);
            if (floating) {
                stats.track(wide ? Double.longBitsToDouble(v) : Float.intBitsToFloat((int) v));
            }
            else {
                v = wide ? v * scale : v;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            if (wide) {
                LONGS.set(values, len, v);
                len += 8;
            }
            else {
                INTS.set(values, len, (int) v);
                len += 4;
            }
        }
        stats.min = lo;
        stats.max = hi;
        this.rows = r;
        length = len;
        nulls += missing;
    }

    /** Strings: up to {@code n} rows, stopping after the row that fills the page; returns the rows taken. */
    private int addBytes(ArrowBuf[][] buffers, int[] rows, int from, int n)
    {
        int j = from;
        while (j < from + n && length < PAGE_BYTES) {
            ArrowBuf[] b = buffers[j];
            int row = rows[j];
            if (BitVectorHelper.get(b[0], row) == 0) {
                nulls++;
            }
            else {
                defined[this.rows >>> 3] |= (byte) (1 << (this.rows & 7));
                int start = b[2].getInt(4L * row);
                int len = b[2].getInt(4L * row + 4) - start;
                ensure(length + 4 + len);
                INTS.set(values, length, len);
                b[1].getBytes(start, values, length + 4, len);
                length += 4 + len;
            }
            this.rows++;
            j++;
        }
        return j - from;
    }

    /**
     * Strings while the dictionary has room: up to {@code n} rows as dictionary ids; at the first
     * string that does not fit, ends the page and turns the rest of the chunk PLAIN (as after a
     * first page whose ids and dictionary are not smaller than its PLAIN values, see
     * {@link #endPage}). Returns the rows taken.
     */
    private int addIds(ArrowBuf[][] buffers, int[] rows, int from, int n)
    {
        for (int j = from; j < from + n; j++) {
            ArrowBuf[] b = buffers[j];
            int row = rows[j];
            if (BitVectorHelper.get(b[0], row) == 0) {
                nulls++;
            }
            else {
                int start = b[2].getInt(4L * row);
                int len = b[2].getInt(4L * row + 4) - start;
                int key = memo.key(row);
                int id = key < 0 ? -1 : memo.get(key);
                if (id < 0) {
                    id = dictionary.id(b[1], start, len);
                    if (id < 0) {
                        endPage();
                        plainChunk = true;
                        return j - from;
                    }
                    if (key >= 0) {
                        memo.put(key, id);
                    }
                }
                defined[this.rows >>> 3] |= (byte) (1 << (this.rows & 7));
                ids[idCount++] = id;
                idPlainBytes += 4 + len;
            }
            this.rows++;
        }
        return n;
    }

    private void ensure(int size)
    {
        if (size > values.length) {
            values = Arrays.copyOf(values, Math.max(size, values.length * 2));
        }
    }

    private void endPage()
    {
        if (rows == 0) {
            return;
        }
        byte[] levels = DefinitionLevels.encode(defined, rows, nulls);
        boolean ided = idCount > 0;
        byte[] body = ided ? dictionary.encodeIds(ids, idCount) : values;
        int bodyLength = ided ? body.length : length;
        if (ided && pages.isEmpty() && body.length + (long) dictionary.bytes() >= idPlainBytes) {
            plainChunk = true;   // mostly distinct values (parquet-java's rule): the rest of the chunk PLAIN
        }
        int uncompressed = levels.length + bodyLength;
        byte[] compressed;
        try {
            compressed = scratch.compress(levels, body, bodyLength);
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot compress a page of " + descriptor + ": " + e.getMessage());
        }
        pages.add(new EncodedChunk.Page(BytesInput.from(compressed), uncompressed, rows, stats.build(descriptor.getPrimitiveType(), rows, nulls),
                ided ? Encoding.RLE_DICTIONARY : Encoding.PLAIN));
        groupBytes += uncompressed;
        chunkValues += rows;
        resetPage();
    }

    private void resetPage()
    {
        Arrays.fill(defined, (byte) 0);
        if (kind == ValueKind.BOOLEAN) {
            Arrays.fill(values, 0, Math.min(values.length, length + 1), (byte) 0);
        }
        length = 0;
        rows = 0;
        nulls = 0;
        idCount = 0;
        idPlainBytes = 0;
        stats.reset();
    }

    /** Ends this column's chunk of the current row group and starts the next. */
    EncodedChunk endChunk()
    {
        endPage();
        boolean ided = pages.stream().anyMatch(p -> p.encoding() == Encoding.RLE_DICTIONARY);
        EncodedChunk chunk = new EncodedChunk(descriptor, dictionary == null ? null : dictionary.takePage(ided, descriptor), pages, chunkValues,
                stats.chunkValid());
        plainChunk = false;
        if (memo != null) {
            memo.forget();   // the dictionary is empty again
        }
        pages.clear();
        chunkValues = 0;
        groupBytes = 0;
        stats.resetChunk();
        return chunk;
    }
}
