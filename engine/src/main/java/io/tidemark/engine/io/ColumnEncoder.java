package io.tidemark.engine.io;

import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes one optional column straight from Arrow buffers into Parquet v1 data pages: PLAIN values
 * (or dictionary ids, {@link StringColumnEncoder}), RLE/bit-packed definition levels, Snappy,
 * min/max statistics for numbers (strings get none, and so no column index). This class holds the
 * page being filled and the chunk's finished pages (kept compressed until the row group is
 * written); {@link FixedColumnEncoder} and {@link StringColumnEncoder} fill the page.
 */
abstract class ColumnEncoder
{
    static final int PAGE_BYTES = 1 << 20;
    static final int PAGE_ROWS = 20_000;
    static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    static final java.lang.invoke.VarHandle INTS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    final ColumnDescriptor descriptor;
    final ValueKind kind;
    final PageStatistics stats;
    final List<EncodedChunk.Page> pages = new ArrayList<>();
    /** The open page: its PLAIN values (or nothing, while it holds dictionary ids), defined bits, rows and NULLs. */
    byte[] values = new byte[1 << 16];
    int length;
    byte[] defined = new byte[PAGE_ROWS / 8 + 1];
    int rows;
    int nulls;
    /** Shared by the sink's columns: pages end one at a time. */
    private final PageScratch scratch;
    private long chunkValues;
    private long groupBytes;
    /** {@link #addRun}'s rows as {@link #add} takes them, for the kinds it does not copy whole. */
    private ArrowBuf[][] runCells = new ArrowBuf[0][];
    private int[] runRows = new int[0];

    ColumnEncoder(ColumnDescriptor descriptor, ValueKind kind, PageScratch scratch)
    {
        this.descriptor = descriptor;
        this.kind = kind;
        this.scratch = scratch;
        this.stats = new PageStatistics(kind);
    }

    /** The encoder of a column of Arrow type {@code type}. */
    static ColumnEncoder of(ColumnDescriptor descriptor, ArrowType type, PageScratch scratch)
    {
        ValueKind kind = ValueKind.of(type);
        if (kind == ValueKind.BYTES) {
            return new StringColumnEncoder(descriptor, scratch);
        }
        return new FixedColumnEncoder(descriptor, kind, ArrowParquetTypes.parquetScale(type), scratch);
    }

    /** The buffers of one column of one batch, looked up once per batch: {validity, data, offsets or null}. */
    static ArrowBuf[] buffers(FieldVector vector)
    {
        boolean variable = vector instanceof org.apache.arrow.vector.BaseVariableWidthVector;
        return new ArrowBuf[] {vector.getValidityBuffer(), vector.getDataBuffer(), variable ? vector.getOffsetBuffer() : null};
    }

    /**
     * The key ids of the next rows' batch (4 bytes per row: equal ids for equal strings, -1 for
     * none; see {@link KeyIdColumn}), or null when the rows come with none. Only strings use them.
     */
    void keys(ArrowBuf keyIds) {}

    /** Uncompressed bytes of this column in the current row group. */
    long groupBytes()
    {
        return groupBytes + length + heldBytes();
    }

    /** Bytes held outside the open page's values that the row group will take (a dictionary and its ids). */
    long heldBytes()
    {
        return 0;
    }

    /**
     * Adds rows j in [from, from + count), row j being {@code rows[j]} of the batch whose buffers
     * are {@code buffers[j]}: one loop per kind (no per-cell call or switch), ending a page after
     * the row that reaches {@link #PAGE_ROWS} rows or {@link #PAGE_BYTES} bytes.
     */
    final void add(ArrowBuf[][] buffers, int[] rows, int from, int count)
    {
        int j = from;
        int end = from + count;
        while (j < end) {
            j += addToPage(buffers, rows, j, Math.min(end - j, PAGE_ROWS - this.rows));
            if (this.rows == PAGE_ROWS || length >= PAGE_BYTES) {
                endPage();
            }
        }
    }

    /** Adds up to {@code n} rows from j = {@code from} on (as {@link #add}) to the open page; returns the rows taken. */
    abstract int addToPage(ArrowBuf[][] buffers, int[] rows, int from, int n);

    /**
     * Adds rows [from, from + count) of one batch, in order (a whole batch written at once), as
     * {@link #add} takes them; {@link FixedColumnEncoder} copies runs of numbers whole.
     */
    void addRun(ArrowBuf[] buffers, int from, int count)
    {
        if (runCells.length < count) {
            runCells = new ArrowBuf[count][];
            runRows = new int[count];
        }
        for (int j = 0; j < count; j++) {
            runCells[j] = buffers;
            runRows[j] = from + j;
        }
        add(runCells, runRows, 0, count);
    }

    void ensure(int size)
    {
        if (size > values.length) {
            values = Arrays.copyOf(values, Math.max(size, values.length * 2));
        }
    }

    /** Ends the open page, if it holds rows: compressed and kept for the chunk. */
    final void endPage()
    {
        if (rows == 0) {
            return;
        }
        byte[] levels = DefinitionLevels.encode(defined, rows, nulls);
        byte[] ids = encodedIds();
        byte[] body = ids != null ? ids : values;
        int bodyLength = ids != null ? ids.length : length;
        int uncompressed = levels.length + bodyLength;
        byte[] compressed;
        try {
            compressed = scratch.compress(levels, body, bodyLength);
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot compress a page of " + descriptor + ": " + e.getMessage());
        }
        pages.add(new EncodedChunk.Page(BytesInput.from(compressed), uncompressed, rows, stats.build(descriptor.getPrimitiveType(), rows, nulls),
                ids != null ? Encoding.RLE_DICTIONARY : Encoding.PLAIN));
        groupBytes += uncompressed;
        chunkValues += rows;
        resetPage();
    }

    /** The open page's values as encoded dictionary ids, or null when it holds PLAIN values. */
    byte[] encodedIds()
    {
        return null;
    }

    void resetPage()
    {
        Arrays.fill(defined, (byte) 0);
        length = 0;
        rows = 0;
        nulls = 0;
        stats.reset();
    }

    /** Ends this column's chunk of the current row group and starts the next. */
    final EncodedChunk endChunk()
    {
        endPage();
        boolean ided = pages.stream().anyMatch(p -> p.encoding() == Encoding.RLE_DICTIONARY);
        EncodedChunk chunk = new EncodedChunk(descriptor, dictionaryPage(ided), pages, chunkValues, stats.chunkValid());
        pages.clear();
        chunkValues = 0;
        groupBytes = 0;
        stats.resetChunk();
        return chunk;
    }

    /** The chunk's dictionary page if {@code used} by one of its pages, else null; the next chunk starts without one. */
    DictionaryPage dictionaryPage(boolean used)
    {
        return null;
    }
}
