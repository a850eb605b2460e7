package io.tidemark.engine.partition;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.util.Objects.requireNonNull;

/**
 * A spill file written through a small off-heap buffer taken from the Arrow allocator: an Arrow IPC
 * writer's many small pieces (message headers, padding, short buffers) are gathered into one write,
 * and buffers at least as large as it go from Arrow memory to the file directly. Through an
 * OutputStream every byte was copied three times first (into an 8 KiB chunk, a stream buffer and a
 * native buffer of the JDK's).
 */
public final class SpillChannel
        implements WritableByteChannel
{
    private final FileChannel file;
    private final ArrowBuf memory;
    private final ByteBuffer buffer;
    private boolean open = true;

    private SpillChannel(FileChannel file, ArrowBuf memory)
    {
        this.file = file;
        this.memory = memory;
        this.buffer = memory.nioBuffer(0, (int) memory.capacity());
        buffer.clear();
    }

    /** Creates (or truncates) {@code path}; the buffer counts against {@code allocator} until close. */
    public static SpillChannel create(Path path, BufferAllocator allocator, int bufferBytes)
            throws IOException
    {
        requireNonNull(path, "path is null");
        requireNonNull(allocator, "allocator is null");
        FileChannel file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new SpillChannel(file, allocator.buffer(bufferBytes));
        }
        catch (RuntimeException e) {
            file.close();
            throw e;
        }
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

    @Override
    public boolean isOpen()
    {
        return open;
    }

    /** Writes what is buffered, closes the file and gives the buffer back (also when the write fails). */
    @Override
    public void close()
            throws IOException
    {
        if (!open) {
            return;
        }
        open = false;
        try (FileChannel f = file; ArrowBuf m = memory) {
            flush();
        }
    }
}
