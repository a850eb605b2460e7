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
 * by default) straight from the page's bytes into one array per column chunk; other codecs go to
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

    /**
     * One column chunk's pages (parquet-java asks for a decompressor per chunk): each page is
     * decompressed into the same array, grown to the largest page, since a chunk's reader holds one
     * page at a time ({@link ColumnChunkDecoder} decodes the dictionary page into arrays of its own
     * and drops each data page for the next). A new array per page was about 1.8 GB of heap garbage
     * on logs-20M, most of its young collections.
     */
    private static final class SnappyPages
            implements BytesInputDecompressor
    {
        private byte[] out = new byte[0];

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize)
                throws IOException
        {
            ByteBuffer in = bytes.toByteBuffer();
            if (out.length < uncompressedSize) {
                out = new byte[uncompressedSize];
            }
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
            return BytesInput.from(out, 0, uncompressedSize);
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
