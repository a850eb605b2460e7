package io.tidemark.engine.io;

import io.tidemark.engine.kernel.KeySlots;
import io.tidemark.engine.plan.Hashing;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.util.Arrays;

/**
 * The distinct strings of one column chunk in the order they first came, each with its id (its
 * position): the chunk's Parquet dictionary page, kept PLAIN-encoded (4-byte length, then the
 * bytes) as it grows. Bounded: a string that would take the page past {@link #MAX_BYTES} is
 * refused ({@link #id} returns -1) and the encoder writes the rest of the chunk PLAIN.
 */
final class ChunkDictionary
{
    /** The largest dictionary page, as parquet-java's and pyarrow's default. */
    static final int MAX_BYTES = 1 << 20;
    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle INTS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private byte[] page = new byte[1 << 12];
    private int length;
    /** Where entry i's bytes start in {@link #page} (after its length). */
    private int[] starts = new int[64];
    private int size;
    /** The entries by hash ({@link Hashing#bytes}): ids as {@link KeySlots} hands them out, in entry order. */
    private KeySlots slots = new KeySlots();

    /** The id of {@code data[start, start + len)}, added if new; -1 if it does not fit the page. */
    int id(ArrowBuf data, int start, int len)
    {
        long h = Hashing.bytes(data, start, len);
        for (int slot = slots.start(h); slots.key(slot) >= 0; slot = slots.next(slot)) {
            if (slots.hash(slot) == h && equal(slots.key(slot), data, start, len)) {
                return slots.key(slot);
            }
        }
        if (length + 4L + len > MAX_BYTES) {
            return -1;
        }
        slots.add(h);   // the same id as the entry: both count from 0 in order
        return add(data, start, len);
    }

    private int add(ArrowBuf data, int start, int len)
    {
        if (length + 4 + len > page.length) {
            page = Arrays.copyOf(page, Math.max(length + 4 + len, page.length * 2));
        }
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
        }
        INTS.set(page, length, len);
        data.getBytes(start, page, length + 4, len);
        starts[size] = length + 4;
        length += 4 + len;
        return size++;
    }

    private boolean equal(int id, ArrowBuf data, int start, int len)
    {
        int at = starts[id];
        if ((int) INTS.get(page, at - 4) != len) {
            return false;
        }
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            if ((long) LONGS.get(page, at + i) != data.getLong(start + i)) {
                return false;
            }
        }
        if (i < len && len >= 8) {   // the rest as the last eight bytes
            return (long) LONGS.get(page, at + len - 8) == data.getLong(start + len - 8);
        }
        for (; i < len; i++) {
            if (page[at + i] != data.getByte(start + i)) {
                return false;
            }
        }
        return true;
    }

    int size()
    {
        return size;
    }

    /** Bytes of the PLAIN dictionary page. */
    int bytes()
    {
        return length;
    }

    /**
     * Ends the chunk: its dictionary page (every entry in id order, PLAIN, Snappy-compressed) if
     * {@code used} by a data page, else null; the dictionary is empty after.
     */
    DictionaryPage takePage(boolean used, ColumnDescriptor column)
    {
        try {
            return used ? new DictionaryPage(BytesInput.from(Snappy.compress(Arrays.copyOf(page, length))), length, size, Encoding.PLAIN) : null;
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot compress the dictionary of " + column + ": " + e.getMessage());
        }
        finally {
            reset();
        }
    }

    /**
     * A dictionary-encoded page's values: the bit width of the ids (enough for every id of the
     * dictionary as it is now), then the {@code count} ids bit-packed in groups of eight (the
     * RLE/bit-packed hybrid with one bit-packed run; the last group padded with zeros).
     */
    byte[] encodeIds(int[] ids, int count)
    {
        int width = 32 - Integer.numberOfLeadingZeros(Math.max(0, size - 1));
        int groups = (count + 7) / 8;
        long header = ((long) groups << 1) | 1;
        byte[] out = new byte[1 + 5 + groups * width];
        out[0] = (byte) width;
        int at = 1;
        while ((header & ~0x7FL) != 0) {
            out[at++] = (byte) ((header & 0x7F) | 0x80);
            header >>>= 7;
        }
        out[at++] = (byte) header;
        long bits = 0;
        int held = 0;
        for (int i = 0; i < groups * 8; i++) {
            bits |= (long) (i < count ? ids[i] : 0) << held;   // LSB first, as Parquet packs
            held += width;
            while (held >= 8) {
                out[at++] = (byte) bits;
                bits >>>= 8;
                held -= 8;
            }
        }
        return Arrays.copyOf(out, at);
    }

    /** Empties the dictionary for the next chunk, keeping its arrays. */
    private void reset()
    {
        slots = new KeySlots();
        length = 0;
        size = 0;
    }
}
