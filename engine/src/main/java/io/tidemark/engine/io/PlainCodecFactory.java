package io.tidemark.engine.io;

import com.github.luben.zstd.Zstd;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Parquet compression without Hadoop's codec classes: SNAPPY, ZSTD and UNCOMPRESSED. */
public final class PlainCodecFactory
        implements CompressionCodecFactory
{
    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec)
    {
        return new Compressor(codec);
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec)
    {
        return new Decompressor(codec);
    }

    @Override
    public void release() {}

    private static final class Compressor
            implements BytesInputCompressor
    {
        private final CompressionCodecName codec;

        Compressor(CompressionCodecName codec)
        {
            this.codec = codec;
        }

        @Override
        public BytesInput compress(BytesInput bytes)
                throws IOException
        {
            switch (codec) {
                case UNCOMPRESSED:
                    return bytes;
                case SNAPPY:
                    return BytesInput.from(Snappy.compress(bytes.toByteArray()));
                case ZSTD:
                    return BytesInput.from(Zstd.compress(bytes.toByteArray(), 3));
                default:
                    throw new IOException("unsupported output codec " + codec);
            }
        }

        @Override
        public CompressionCodecName getCodecName()
        {
            return codec;
        }

        @Override
        public void release() {}
    }

    private static final class Decompressor
            implements BytesInputDecompressor
    {
        private final CompressionCodecName codec;

        Decompressor(CompressionCodecName codec)
        {
            this.codec = codec;
        }

        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize)
                throws IOException
        {
            switch (codec) {
                case UNCOMPRESSED:
                    return bytes;
                case SNAPPY:
                    return BytesInput.from(Snappy.uncompress(bytes.toByteArray()));
                case ZSTD:
                    return BytesInput.from(Zstd.decompress(bytes.toByteArray(), uncompressedSize));
                default:
                    throw new IOException("unsupported input codec " + codec);
            }
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
                throws IOException
        {
            byte[] in = new byte[compressedSize];
            input.get(in);
            output.put(decompress(BytesInput.from(in), uncompressedSize).toByteArray());
        }

        @Override
        public void release() {}
    }
}
