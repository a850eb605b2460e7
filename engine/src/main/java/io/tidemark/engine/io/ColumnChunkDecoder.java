package io.tidemark.engine.io;

import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Decodes one flat column chunk page by page straight into Arrow vectors: PLAIN and dictionary
 * pages (what pyarrow, Spark and Tidemark write) without an object per value, numbers and strings
 * a run of definition levels at a time ({@link PageRuns}); other encodings go through parquet-java's
 * value readers, one value at a time. RLE definition levels and dictionary indices are read by
 * {@link HybridDecoder}.
 */
final class ColumnChunkDecoder
{
    private final ColumnDescriptor descriptor;
    private final PageReader pages;
    private final long divisor;
    private final int maxDefinition;
    private final DictionaryValues dictionary;
    private final boolean int96;
    private byte[] scratch = new byte[0];
    private int remaining;
    private ValuesReader levels;
    private HybridDecoder definitions;
    private ByteBuffer plain;
    private int plainBit;
    private HybridDecoder indices;
    private ValuesReader fallback;
    /** Bytes per value when the vector takes the page's values as they are (8 or 4), 0 if not; -1 before the first read. */
    private int width = -1;
    private final PageRuns runs;

    ColumnChunkDecoder(ColumnDescriptor descriptor, PageReader pages, long divisor)
    {
        this.descriptor = descriptor;
        this.pages = pages;
        this.divisor = divisor;
        this.maxDefinition = descriptor.getMaxDefinitionLevel();
        this.int96 = descriptor.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT96;
        DictionaryPage page = pages.readDictionaryPage();
        this.dictionary = page == null ? null : DictionaryValues.decode(descriptor, page);
        this.runs = new PageRuns(maxDefinition, dictionary);
    }

    /** Fills rows [0, n) of a vector allocated for at least n rows. */
    void read(FieldVector vector, int n)
            throws IOException
    {
        if (width < 0) {
            width = bulkWidth(vector);
        }
        int i = 0;
        while (i < n) {
            if (remaining == 0) {
                nextPage();
            }
            int k = Math.min(n - i, remaining);
            boolean levelRuns = maxDefinition == 0 || definitions != null;
            if (width > 0 && (plain != null || indices != null) && levelRuns) {
                runs.fixed(vector, i, k, definitions, plain, indices, width);
            }
            else if (width == 0 && (plain != null || indices != null) && levelRuns && vector instanceof BaseVariableWidthVector
                    && descriptor.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY) {
                runs.strings((BaseVariableWidthVector) vector, i, k, definitions, plain, indices);
            }
            else {
                for (int j = i; j < i + k; j++) {
                    readOne(vector, j);
                }
            }
            remaining -= k;
            i += k;
        }
    }

    /**
     * Fixed-width values the vector stores as the page does: 8-byte INT64 and DOUBLE into BigInt,
     * Float8 and unscaled timestamps; 4-byte INT32 and FLOAT into Int, Date and Float4.
     */
    private int bulkWidth(FieldVector vector)
    {
        switch (descriptor.getPrimitiveType().getPrimitiveTypeName()) {
            case INT64:
                return vector instanceof BigIntVector || (vector instanceof TimeStampVector && divisor == 1) ? 8 : 0;
            case DOUBLE:
                return vector instanceof Float8Vector ? 8 : 0;
            case INT32:
                return vector instanceof IntVector || vector instanceof DateDayVector ? 4 : 0;
            case FLOAT:
                return vector instanceof Float4Vector ? 4 : 0;
            default:
                return 0;
        }
    }

    private void readOne(FieldVector vector, int i)
    {
        int level = maxDefinition == 0 ? maxDefinition : definitions != null ? definitions.next() : levels.readInteger();
        if (level < maxDefinition) {
            vector.setNull(i);
        }
        else if (indices != null) {
            dictionary.copy(indices.next(), vector, i, divisor);
        }
        else if (plain != null) {
            readPlain(vector, i);
        }
        else {
            readFallback(vector, i);
        }
    }

    private void readPlain(FieldVector vector, int i)
    {
        if (vector instanceof DecimalVector) {
            DecimalVector v = (DecimalVector) vector;
            switch (descriptor.getPrimitiveType().getPrimitiveTypeName()) {
                case INT32:
                    v.set(i, plain.getInt());
                    return;
                case INT64:
                    v.set(i, plain.getLong());
                    return;
                default:
                    int length = descriptor.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
                            ? descriptor.getPrimitiveType().getTypeLength() : plain.getInt();
                    if (scratch.length != length) {
                        scratch = new byte[length];   // fixed-length columns: once per column
                    }
                    plain.get(scratch);
                    v.setBigEndian(i, scratch);
                    return;
            }
        }
        if (vector instanceof BigIntVector) {
            ((BigIntVector) vector).set(i, plain.getLong());
        }
        else if (vector instanceof TimeStampVector) {
            long v = int96 ? Int96.nanos(plain.getLong(), plain.getInt()) : plain.getLong();
            ((TimeStampVector) vector).set(i, divisor == 1 ? v : Math.floorDiv(v, divisor));
        }
        else if (vector instanceof IntVector) {
            ((IntVector) vector).set(i, plain.getInt());
        }
        else if (vector instanceof DateDayVector) {
            ((DateDayVector) vector).set(i, plain.getInt());
        }
        else if (vector instanceof SmallIntVector) {
            ((SmallIntVector) vector).set(i, (short) plain.getInt());
        }
        else if (vector instanceof TinyIntVector) {
            ((TinyIntVector) vector).set(i, (byte) plain.getInt());
        }
        else if (vector instanceof Float8Vector) {
            ((Float8Vector) vector).set(i, plain.getDouble());
        }
        else if (vector instanceof Float4Vector) {
            ((Float4Vector) vector).set(i, plain.getFloat());
        }
        else if (vector instanceof BitVector) {
            int bit = plainBit++;
            ((BitVector) vector).set(i, (plain.get(plain.position() + (bit >>> 3)) >>> (bit & 7)) & 1);
        }
        else {
            int length = plain.getInt();
            int at = plain.position();
            ((BaseVariableWidthVector) vector).setSafe(i, plain.array(), plain.arrayOffset() + at, length);
            plain.position(at + length);
        }
    }

    private void readFallback(FieldVector vector, int i)
    {
        if (vector instanceof DecimalVector) {
            switch (descriptor.getPrimitiveType().getPrimitiveTypeName()) {
                case INT32:
                    ((DecimalVector) vector).set(i, fallback.readInteger());
                    return;
                case INT64:
                    ((DecimalVector) vector).set(i, fallback.readLong());
                    return;
                default:
                    ((DecimalVector) vector).setBigEndian(i, fallback.readBytes().getBytes());
                    return;
            }
        }
        if (vector instanceof BigIntVector) {
            ((BigIntVector) vector).set(i, fallback.readLong());
        }
        else if (vector instanceof TimeStampVector) {
            long v = int96 ? Int96.nanos(fallback.readBytes().getBytes()) : fallback.readLong();
            ((TimeStampVector) vector).set(i, divisor == 1 ? v : Math.floorDiv(v, divisor));
        }
        else if (vector instanceof IntVector || vector instanceof DateDayVector || vector instanceof SmallIntVector
                || vector instanceof TinyIntVector) {
            DictionaryValues.setInt(vector, i, fallback.readInteger());
        }
        else if (vector instanceof Float8Vector) {
            ((Float8Vector) vector).set(i, fallback.readDouble());
        }
        else if (vector instanceof Float4Vector) {
            ((Float4Vector) vector).set(i, fallback.readFloat());
        }
        else if (vector instanceof BitVector) {
            ((BitVector) vector).set(i, fallback.readBoolean() ? 1 : 0);
        }
        else {
            ByteBuffer bytes = fallback.readBytes().toByteBuffer();
            ((BaseVariableWidthVector) vector).setSafe(i, bytes, bytes.position(), bytes.remaining());
        }
    }

    private void nextPage()
            throws IOException
    {
        DataPage page = pages.readPage();
        if (page == null) {
            throw new IOException("column chunk " + descriptor + " ended early");
        }
        remaining = page.getValueCount();
        levels = null;
        definitions = null;
        plain = null;
        indices = null;
        fallback = null;
        plainBit = 0;
        Encoding encoding;
        ByteBufferInputStream values;
        int levelWidth = BytesUtils.getWidthFromMaxInt(maxDefinition);
        if (page instanceof DataPageV1) {
            DataPageV1 v1 = (DataPageV1) page;
            ByteBufferInputStream in = v1.getBytes().toInputStream();
            v1.getRlEncoding().getValuesReader(descriptor, ValuesType.REPETITION_LEVEL).initFromPage(remaining, in);
            if (maxDefinition > 0 && v1.getDlEncoding() == Encoding.RLE) {
                int length = BytesUtils.readIntLittleEndian(in);
                definitions = new HybridDecoder(in.slice(length), levelWidth);
            }
            else if (maxDefinition > 0) {
                levels = v1.getDlEncoding().getValuesReader(descriptor, ValuesType.DEFINITION_LEVEL);
                levels.initFromPage(remaining, in);
            }
            encoding = v1.getValueEncoding();
            values = in.remainingStream();
        }
        else {
            DataPageV2 v2 = (DataPageV2) page;
            if (maxDefinition > 0) {
                definitions = new HybridDecoder(v2.getDefinitionLevels().toByteBuffer(), levelWidth);
            }
            encoding = v2.getDataEncoding();
            values = v2.getData().toInputStream();
        }
        if (encoding.usesDictionary()) {
            if (dictionary == null) {
                throw new IOException("dictionary-encoded page without a dictionary in " + descriptor);
            }
            int bitWidth = values.read();
            indices = new HybridDecoder(values.slice(values.available()), bitWidth);
        }
        else if (encoding == Encoding.PLAIN) {
            ByteBuffer bytes = values.slice(values.available());
            if (!bytes.hasArray()) {
                ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
                copy.put(bytes).flip();
                bytes = copy;
            }
            plain = bytes.order(ByteOrder.LITTLE_ENDIAN);
        }
        else {
            fallback = encoding.getValuesReader(descriptor, ValuesType.VALUES);
            fallback.initFromPage(remaining, values);
        }
    }
}
