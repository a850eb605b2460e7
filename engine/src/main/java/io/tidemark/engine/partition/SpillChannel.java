package io.tidemark.engine.partition;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A spill file written through a small off-heap buffer taken from the Arrow allocator: an Arrow IPC
 * writer's many small pieces (message headers, padding, short buffers) are gathered into one write,
 * and buffers at least as large as it go from Arrow memory to the file directly. Through an
 * OutputStream every byte was copied three times first (into an 8 KiB chunk, a stream buffer and a
 * native buffer of the JDK's).
 */
public final class SpillChannel
        extends BufferedSpillFile
        implements WritableByteChannel
{
    private SpillChannel(FileChannel file, ArrowBuf memory)
    {
        super(file, memory);
        buffer.clear();
    }

    /** Creates (or truncates) {@code path}; the buffer counts against {@code allocator} until close. */
    public static SpillChannel create(Path path, BufferAllocator allocator, int bufferBytes)
            throws IOException
    {
        return open(path, allocator, bufferBytes, SpillChannel::new,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public int write(ByteBuffer src)
            throws IOException
    {
        int n = src.remaining();
        if (n > buffer.remaining()) {
            flush();
        }
        if (n >= buffer.capacity()) {
            while (src.hasRemaining()) {
                file.write(src);
            }
        }
        else {
            buffer.put(src);
        }
        return n;
    }

    private void flush()
            throws IOException
    {
        buffer.flip();
        while (buffer.hasRemaining()) {
            file.write(buffer);
        }
        buffer.clear();
    }

    /** Writes what is buffered before the file closes. */
    @Override
    void finish()
            throws IOException
    {
        flush();
    }
}
