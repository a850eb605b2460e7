package io.tidemark.engine.io;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.DictionaryPage;

/**
 * The pages of a string column: dictionary-encoded while the chunk's dictionary fits its page
 * ({@link ChunkDictionary}) and pays (parquet-java's rule on the first page), PLAIN for the rest of
 * the chunk after that. When the rows come with key ids ({@link #keys}), each distinct key is
 * looked up in the dictionary once per batch.
 */
final class StringColumnEncoder
        extends ColumnEncoder
{
    /** This chunk's dictionary, and the ids of the open page's values while it is used. */
    private final ChunkDictionary dictionary = new ChunkDictionary();
    private final int[] ids = new int[PAGE_ROWS];
    private int idCount;
    /** PLAIN bytes of the values the open page holds as ids. */
    private long idPlainBytes;
    /** The dictionary is full, or did not pay: the rest of this chunk is PLAIN. */
    private boolean plainChunk;
    /** Dictionary ids by the batch's key ids, when the batch numbers this column's values. */
    private final KeyIdMemo memo = new KeyIdMemo();

    StringColumnEncoder(ColumnDescriptor descriptor, PageScratch scratch)
    {
        super(descriptor, ValueKind.BYTES, scratch);
    }

    @Override
    void keys(ArrowBuf keyIds)
    {
        memo.use(keyIds);
    }

    @Override
    long heldBytes()
    {
        return dictionary.bytes() + 4L * idCount;
    }

    @Override
    int addToPage(ArrowBuf[][] buffers, int[] rows, int from, int n)
    {
        return plainChunk ? addBytes(buffers, rows, from, n) : addIds(buffers, rows, from, n);
    }

    /** Up to {@code n} rows PLAIN, stopping after the row that fills the page; returns the rows taken. */
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
     * Up to {@code n} rows as dictionary ids; at the first string that does not fit the dictionary,
     * ends the page and turns the rest of the chunk PLAIN (as after a first page whose ids and
     * dictionary are not smaller than its PLAIN values, see {@link #encodedIds}). Returns the rows taken.
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

    @Override
    byte[] encodedIds()
    {
        if (idCount == 0) {
            return null;
        }
        byte[] body = dictionary.encodeIds(ids, idCount);
        if (pages.isEmpty() && body.length + (long) dictionary.bytes() >= idPlainBytes) {
            plainChunk = true;   // mostly distinct values (parquet-java's rule): the rest of the chunk PLAIN
        }
        return body;
    }

    @Override
    void resetPage()
    {
        idCount = 0;
        idPlainBytes = 0;
        super.resetPage();
    }

    @Override
    DictionaryPage dictionaryPage(boolean used)
    {
        DictionaryPage page = dictionary.takePage(used, descriptor);
        plainChunk = false;
        memo.forget();   // the dictionary is empty again
        return page;
    }
}
