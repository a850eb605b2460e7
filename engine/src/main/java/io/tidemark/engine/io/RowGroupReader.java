package io.tidemark.engine.io;

import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * Reads one row group of one file into Arrow batches, column by column: each column chunk is decoded
 * page by page straight into preallocated vectors ({@link ColumnChunkDecoder}), a batch at a time.
 */
public final class RowGroupReader
        implements AutoCloseable
{
    private final InputFile file;
    private final ParquetFileReader reader;
    private final PageReadStore pages;
    private final ColumnChunkDecoder[] columns;
    private final Schema read;
    private final long rows;
    private long consumed;

    public RowGroupReader(InputFile file, int rowGroup, Schema schema)
    {
        this(file, rowGroup, schema, new ChunkBuffers(0));
    }

    /** Reads the row group's compressed chunks into arrays from {@code buffers}, handed back when this reader closes. */
    public RowGroupReader(InputFile file, int rowGroup, Schema schema, ChunkBuffers buffers)
    {
        this(file, rowGroup, schema, IntStream.range(0, schema.getFields().size()).toArray(), buffers);
    }

    /**
     * Reads only columns {@code projection} (indices into {@code schema}, ascending) of the row group:
     * only their compressed chunks are read; {@link #next} fills a root of those columns, in that order.
     */
    public RowGroupReader(InputFile file, int rowGroup, Schema schema, int[] projection)
    {
        this(file, rowGroup, schema, projection, new ChunkBuffers(0));
    }

    private RowGroupReader(InputFile file, int rowGroup, Schema schema, int[] projection, ChunkBuffers buffers)
    {
        this.file = requireNonNull(file, "file is null");
        try {
            reader = file.open(InputTable.readOptions(buffers));
            MessageType message = reader.getFooter().getFileMetaData().getSchema();
            if (projection.length < message.getFieldCount()) {
                List<Type> projected = new ArrayList<>();
                for (int c : projection) {
                    projected.add(message.getType(c));
                }
                reader.setRequestedSchema(new MessageType(message.getName(), projected));
            }
            pages = reader.readRowGroup(rowGroup);
            read = new Schema(IntStream.of(projection).mapToObj(c -> schema.getFields().get(c)).toList());
            columns = new ColumnChunkDecoder[projection.length];
            for (int i = 0; i < projection.length; i++) {
                ColumnDescriptor descriptor = message.getColumns().get(projection[i]);
                columns[i] = new ColumnChunkDecoder(descriptor, pages.getPageReader(descriptor),
                        ArrowParquetTypes.parquetScale(schema.getFields().get(projection[i]).getType()));
            }
            rows = pages.getRowCount();
        }
        catch (IOException | RuntimeException e) {
            throw TidemarkException.fatal(file.path() + ": cannot read row group " + rowGroup + ": " + e.getMessage());
        }
    }

    /** The columns {@link #next} fills, in that order: the projection's, or the whole schema. */
    public Schema schema()
    {
        return read;
    }

    public long rows()
    {
        return rows;
    }

    /** Fills {@code root} with up to {@code maxRows} next rows; returns how many (0 at the end). */
    public int next(VectorSchemaRoot root, int maxRows)
    {
        int n = (int) Math.min(maxRows, rows - consumed);
        for (int c = 0; c < columns.length; c++) {
            FieldVector vector = root.getVector(c);
            vector.setInitialCapacity(n);
            vector.allocateNew();
            try {
                columns[c].read(vector, n);
            }
            catch (IOException | RuntimeException e) {
                throw TidemarkException.fatal(file.path() + ": column " + vector.getName() + ": cannot decode: " + e.getMessage());
            }
            vector.setValueCount(n);
        }
        root.setRowCount(n);
        consumed += n;
        return n;
    }

    @Override
    public void close()
    {
        try (ParquetFileReader r = reader) {
            pages.close();   // hands the chunks' arrays back
        }
        catch (IOException e) {
            throw TidemarkException.fatal(file.path() + ": cannot close: " + e.getMessage());
        }
    }
}
