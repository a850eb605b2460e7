package io.tidemark.engine.io;

import org.apache.parquet.bytes.ByteBufferAllocator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The heap arrays one reader (a map task's or a partitioning thread's) reads compressed column
 * chunks into, kept from one row group to the next. parquet-java reads a row group's chunks into
 * freshly allocated arrays (up to 8 MiB each) and hands them back when the row group is closed;
 * without reuse a large join allocated 0.8 GB of them, and as they outlive young collections while
 * their row group is decoded, they were what filled the old generation during partitioning. At
 * most {@code retainBytes} are kept between row groups; {@link #clear} drops them.
 */
public final class ChunkBuffers
        implements ByteBufferAllocator
{
    private final long retainBytes;
    /** Arrays handed back and not handed out again. */
    private final List<byte[]> free = new ArrayList<>();
    private long freeBytes;
    private long created;

    public ChunkBuffers(long retainBytes)
    {
        if (retainBytes < 0) {
            throw new IllegalArgumentException("retainBytes is negative: " + retainBytes);
        }
        this.retainBytes = retainBytes;
    }

    /** A buffer of exactly {@code size} bytes (position 0, limit and capacity {@code size}): the smallest kept array that holds it, or a new one. */
    @Override
    public synchronized ByteBuffer allocate(int size)
    {
        int best = -1;
        for (int i = 0; i < free.size(); i++) {
            int length = free.get(i).length;
            if (length >= size && (best < 0 || length < free.get(best).length)) {
                best = i;
            }
        }
        byte[] array;
        if (best < 0) {
            array = new byte[retainBytes > 0 ? roundUp(size) : size];   // nothing kept: no use for room to spare
            created++;
        }
        else {
            array = free.remove(best);
            freeBytes -= array.length;
        }
        return ByteBuffer.wrap(array, 0, size).slice();
    }

    /**
     * {@code size} rounded up by at most an eighth (to a multiple of an eighth of its highest power
     * of two), so that the next row group's chunk of about the same size fits the array.
     */
    static int roundUp(int size)
    {
        if (size < 1024) {
            return size;
        }
        int step = Integer.highestOneBit(size) >> 3;
        long rounded = ((long) size + step - 1) / step * step;
        return (int) Math.min(Integer.MAX_VALUE - 8, rounded);
    }

    /** Keeps the buffer's array for the next row group while the kept arrays stay within the bound. */
    @Override
    public synchronized void release(ByteBuffer buffer)
    {
        if (buffer == null || !buffer.hasArray() || buffer.arrayOffset() != 0) {
            return;
        }
        byte[] array = buffer.array();
        for (byte[] kept : free) {
            if (kept == array) {
                return;   // handed back twice
            }
        }
        if (freeBytes + array.length <= retainBytes) {
            free.add(array);
            freeBytes += array.length;
        }
    }

    @Override
    public boolean isDirect()
    {
        return false;
    }

    /** Bytes kept for reuse. */
    public synchronized long keptBytes()
    {
        return freeBytes;
    }

    /** Arrays allocated so far (not taken from the kept ones). */
    public synchronized long created()
    {
        return created;
    }

    /** Drops every kept array. */
    public synchronized void clear()
    {
        free.clear();
        freeBytes = 0;
    }
}
