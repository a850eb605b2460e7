package io.tidemark.engine.io;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

class ReadCodecsTest
{
    /**
     * A chunk's pages share one array: a page smaller than the one before it comes out at its own
     * size with its own bytes, and each chunk's decompressor is its own (chunks are read side by side).
     */
    @Test
    void eachPageComesOutWholeAtItsOwnSize()
            throws Exception
    {
        ReadCodecs codecs = new ReadCodecs(new CodecFactory(new PlainParquetConfiguration(), 0));
        BytesInputDecompressor chunk = codecs.getDecompressor(CompressionCodecName.SNAPPY);
        assertNotSame(chunk, codecs.getDecompressor(CompressionCodecName.SNAPPY));
        Random random = new Random(3);
        for (int size : new int[] {100_000, 17, 0, 65_536, 5, 250_000}) {
            byte[] page = new byte[size];
            for (int i = 0; i < size; i++) {
                page[i] = (byte) random.nextInt(4);   // compressible
            }
            BytesInput out = chunk.decompress(BytesInput.from(Snappy.compress(page)), size);
            assertEquals(size, out.size());
            assertArrayEquals(page, out.toByteArray(), "page of " + size);
        }
    }
}
