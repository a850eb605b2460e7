package io.tidemark.engine.io;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

import java.io.IOException;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One column's encoded chunk of a row group ({@link ColumnEncoder#endChunk}), kept to be written
 * later: its dictionary page (null when no page is dictionary-encoded), then its Snappy-compressed
 * data pages.
 */
record EncodedChunk(ColumnDescriptor descriptor, DictionaryPage dictionary, List<Page> pages, long values, boolean statisticsValid)
{
    /** One compressed data page: its values are PLAIN or dictionary ids ({@code encoding}). */
    record Page(BytesInput bytes, int uncompressed, int values, Statistics<?> stats, Encoding encoding) {}

    EncodedChunk
    {
        requireNonNull(descriptor, "descriptor is null");
        pages = List.copyOf(requireNonNull(pages, "pages is null"));
    }

    /** Writes the chunk as the next column of the file's current row group. */
    void write(ParquetFileWriter file)
            throws IOException
    {
        file.startColumn(descriptor, values, CompressionCodecName.SNAPPY);
        if (dictionary != null) {
            file.writeDictionaryPage(dictionary);
        }
        Statistics<?> total = Statistics.createStats(descriptor.getPrimitiveType());
        for (Page p : pages) {
            file.writeDataPage(p.values(), p.uncompressed(), p.bytes(), p.stats(), p.values(),
                    Encoding.BIT_PACKED, Encoding.RLE, p.encoding());
            total.incrementNumNulls(p.stats().getNumNulls());
        }
        if (!statisticsValid) {
            file.invalidateStatistics(total);
        }
        file.endColumn();
    }
}
