package io.tidemark.engine.partition;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.function.BiFunction;

import static java.util.Objects.requireNonNull;

/**
 * A spill file open through a small off-heap buffer taken from the Arrow allocator, what
 * {@link SpillChannel} (writing) and {@link SpillInput} (reading) share: the file, the buffer, and a
 * close that releases both, once.
 */
abstract class BufferedSpillFile
        implements Channel
{
    final FileChannel file;
    final ByteBuffer buffer;
    private final ArrowBuf memory;
    private boolean open = true;

    BufferedSpillFile(FileChannel file, ArrowBuf memory)
    {
        this.file = file;
        this.memory = memory;
        this.buffer = memory.nioBuffer(0, (int) memory.capacity());
    }

    /** Opens {@code path} and takes {@code bufferBytes} from {@code allocator} for it; the file is closed again if that fails. */
    static <T extends BufferedSpillFile> T open(Path path, BufferAllocator allocator, int bufferBytes, BiFunction<FileChannel, ArrowBuf, T> make,
            OpenOption... options)
            throws IOException
    {
        requireNonNull(path, "path is null");
        requireNonNull(allocator, "allocator is null");
        FileChannel file = FileChannel.open(path, options);
        try {
            return make.apply(file, allocator.buffer(bufferBytes));
        }
        catch (RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** What is left to do with the file before it closes (writing: what is buffered). */
    abstract void finish()
            throws IOException;

    @Override
    public final boolean isOpen()
    {
        return open;
    }

    /** Finishes, closes the file and gives the buffer back (also when finishing fails). */
    @Override
    public final void close()
            throws IOException
    {
        if (!open) {
            return;
        }
        open = false;
        try (FileChannel f = file; ArrowBuf m = memory) {
            finish();
        }
    }
}
