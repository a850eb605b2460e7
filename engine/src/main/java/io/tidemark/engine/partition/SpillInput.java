package io.tidemark.engine.partition;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A spill file read through a small off-heap buffer taken from the Arrow allocator, the reading
 * side of {@link SpillChannel}: an Arrow IPC reader's small reads (message prefixes, metadata) are
 * served from one larger read, and reads at least as large as the buffer (batch bodies) go from the
 * file straight into the reader's Arrow memory. Through a buffered InputStream every body byte was
 * copied twice on the heap first (the stream's buffer, then the channel adapter's chunk array).
 */
public final class SpillInput
        extends BufferedSpillFile
        implements ReadableByteChannel
{
    /** The buffer of a spill reader: small reads are message headers; bodies bypass it. */
    public static final int BUFFER_BYTES = 64 << 10;

    private SpillInput(FileChannel file, ArrowBuf memory)
    {
        super(file, memory);
        buffer.limit(0);   // nothing buffered yet
    }

    /** Opens {@code path}; the buffer counts against {@code allocator} until close. */
    public static SpillInput open(Path path, BufferAllocator allocator, int bufferBytes)
            throws IOException
    {
        return open(path, allocator, bufferBytes, SpillInput::new, StandardOpenOption.READ);
    }

    /** Opens {@code path} with a buffer of {@link #BUFFER_BYTES}. */
    public static SpillInput open(Path path, BufferAllocator allocator)
            throws IOException
    {
        return open(path, allocator, BUFFER_BYTES);
    }

    @Override
    public int read(ByteBuffer dst)
            throws IOException
    {
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (!buffer.hasRemaining()) {
            if (dst.remaining() >= buffer.capacity()) {
                return file.read(dst);
            }
            buffer.clear();
            int n = file.read(buffer);
            buffer.flip();
            if (n < 0) {
                return -1;
            }
        }
        int n = Math.min(dst.remaining(), buffer.remaining());
        ByteBuffer part = buffer.duplicate();
        part.limit(part.position() + n);
        dst.put(part);
        buffer.position(buffer.position() + n);
        return n;
    }

    /** Nothing is left to do before a reader closes. */
    @Override
    void finish() {}
}
