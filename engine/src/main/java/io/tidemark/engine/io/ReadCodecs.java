package io.tidemark.engine.io;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.nio.ByteBuffer;

import static java.util.Objects.requireNonNull;

/**
 * Page decompression for the reader: Snappy pages (what pyarrow, Polars, Spark and Tidemark write
 * by default) straight from the page's bytes into one array of the page's size; other codecs go to
 * parquet-java's Hadoop-based factory, which reads every page through a decompressor stream and
 * copies its output again.
 */
final class ReadCodecs
        implements CompressionCodecFactory
{
    private final CompressionCodecFactory others;

    ReadCodecs(CompressionCodecFactory others)
    {
        this.others = requireNonNull(others, "others is null");
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec)
    {
        return codec == CompressionCodecName.SNAPPY ? new SnappyPages() : others.getDecompressor(codec);
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec)
    {
        return others.getCompressor(codec);
    }

    @Override
    public void release()
    {
        others.release();
    }

    private static final class SnappyPages
            implements BytesInputDecompressor
    {
        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize)
                throws IOException
        {
            ByteBuffer in = bytes.toByteBuffer();
            byte[] out = new byte[uncompressedSize];
            int n;
            if (in.hasArray()) {
                n = Snappy.uncompress(in.array(), in.arrayOffset() + in.position(), in.remaining(), out, 0);
            }
            else {
                byte[] copy = new byte[in.remaining()];
                in.duplicate().get(copy);
                n = Snappy.uncompress(copy, 0, copy.length, out, 0);
            }
            if (n != uncompressedSize) {
                throw new IOException("a Snappy page decompressed to " + n + " bytes, its header says " + uncompressedSize);
            }
            return BytesInput.from(out);
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException
        {
            ByteBuffer page = input.duplicate();
            page.limit(page.position() + compressedSize);
            output.put(decompress(BytesInput.from(page), uncompressedSize).toByteArray());
            input.position(input.position() + compressedSize);
        }

        @Override
        public void release() {}
    }
}
