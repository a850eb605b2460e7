package io.tidemark.engine.io;

import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static java.util.Objects.requireNonNull;

/**
 * A local Parquet file read through a {@link FileChannel} with positional bulk reads. (parquet-java's
 * {@code LocalInputFile} falls back to one-byte reads in some paths, which made copying row groups
 * take minutes.)
 */
public final class NioInputFile
        implements InputFile
{
    /**
     * Bytes read from the file at once: the JDK reads into a heap array through a temporary direct
     * buffer as large as the read and caches it per thread, so whole column chunks at once would pin
     * a chunk of direct memory on every thread that ever read one (the roles' 16 blocking threads
     * ran past the direct-memory cap on logs-60M).
     */
    static final int MAX_READ = 1 << 20;

    private final Path path;

    public NioInputFile(Path path)
    {
        this.path = requireNonNull(path, "path is null");
    }

    @Override
    public long getLength()
            throws IOException
    {
        return java.nio.file.Files.size(path);
    }

    @Override
    public SeekableInputStream newStream()
            throws IOException
    {
        return new Stream(FileChannel.open(path, StandardOpenOption.READ));
    }

    @Override
    public String toString()
    {
        return path.toString();
    }

    private static final class Stream
            extends SeekableInputStream
    {
        private final FileChannel channel;
        private long position;

        Stream(FileChannel channel)
        {
            this.channel = channel;
        }

        @Override
        public long getPos()
        {
            return position;
        }

        @Override
        public void seek(long newPos)
        {
            position = newPos;
        }

        @Override
        public int read()
                throws IOException
        {
            ByteBuffer one = ByteBuffer.allocate(1);
            return read(one) <= 0 ? -1 : one.get(0) & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len)
                throws IOException
        {
            return read(ByteBuffer.wrap(b, off, len));
        }

        @Override
        public int read(ByteBuffer buf)
                throws IOException
        {
            if (!buf.hasRemaining()) {
                return 0;
            }
            int limit = buf.limit();
            int n;
            try {
                if (!buf.isDirect() && buf.remaining() > MAX_READ) {
                    buf.limit(buf.position() + MAX_READ);
                }
                n = channel.read(buf, position);
            }
            finally {
                buf.limit(limit);
            }
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public void readFully(byte[] bytes)
                throws IOException
        {
            readFully(ByteBuffer.wrap(bytes));
        }

        @Override
        public void readFully(byte[] bytes, int start, int len)
                throws IOException
        {
            readFully(ByteBuffer.wrap(bytes, start, len));
        }

        @Override
        public void readFully(ByteBuffer buf)
                throws IOException
        {
            while (buf.hasRemaining()) {
                if (read(buf) < 0) {
                    throw new EOFException("end of file while reading " + buf.remaining() + " more bytes");
                }
            }
        }

        @Override
        public long skip(long n)
        {
            position += n;
            return n;
        }

        @Override
        public void close()
                throws IOException
        {
            channel.close();
        }
    }
}
