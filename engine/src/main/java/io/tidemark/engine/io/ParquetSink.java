package io.tidemark.engine.io;

import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Writes Arrow rows to one Parquet file through parquet-java's column writers (no record assembly,
 * no Hadoop), cutting a row group when its buffered bytes or rows reach the bound. The Arrow schema
 * is stored as pyarrow does (ARROW:schema), so time zones and integer widths read back unchanged.
 */
public final class ParquetSink
        implements AutoCloseable
{
    private static final int CHECK_EVERY = 1024;

    private final Path path;
    private final Schema schema;
    private final MessageType message;
    private final ParquetProperties properties;
    private final ParquetFileWriter file;
    private final long rowGroupBytes;
    private final int rowGroupRows;
    private final PlainCodecFactory codecs = new PlainCodecFactory();
    private final ColumnValues[] values;
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore store;
    private ColumnWriter[] writers;
    private long groupRows;
    private long rows;
    private int rowGroups;

    public ParquetSink(Path path, Schema schema, long rowGroupBytes, int rowGroupRows)
    {
        this.path = requireNonNull(path, "path is null");
        this.schema = requireNonNull(schema, "schema is null");
        this.rowGroupBytes = rowGroupBytes;
        this.rowGroupRows = rowGroupRows;
        this.message = messageType(schema);
        this.properties = ParquetProperties.builder()
                .withPageSize(1 << 20)
                .withDictionaryPageSize(1 << 20)
                .withDictionaryEncoding(true)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .build();
        this.values = new ColumnValues[schema.getFields().size()];
        for (int c = 0; c < values.length; c++) {
            values[c] = ColumnValues.of(schema.getFields().get(c).getType(), ArrowParquetTypes.parquetScale(schema.getFields().get(c).getType()));
        }
        try {
            this.file = new ParquetFileWriter(new LocalOutputFile(path), message, ParquetFileWriter.Mode.CREATE, rowGroupBytes, 0);
            file.start();
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot create " + path + ": " + e.getMessage());
        }
        startRowGroup();
    }

    private void startRowGroup()
    {
        pages = new ColumnChunkPageWriteStore(codecs.getCompressor(CompressionCodecName.SNAPPY), message,
                new HeapByteBufferAllocator(), ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH);
        store = properties.newColumnWriteStore(message, pages);
        List<ColumnDescriptor> columns = message.getColumns();
        writers = new ColumnWriter[columns.size()];
        for (int c = 0; c < writers.length; c++) {
            writers[c] = store.getColumnWriter(columns.get(c));
        }
        groupRows = 0;
    }

    /** Writes all rows of {@code batch}; its first vectors are the output columns, extra ones are ignored. */
    public void write(VectorSchemaRoot batch)
    {
        for (int c = 0; c < values.length; c++) {
            values[c].bind(batch.getVector(c));
        }
        int n = batch.getRowCount();
        for (int r = 0; r < n; r++) {
            writeBound(r);
        }
    }

    /** A batch whose buffers are looked up once, for writing its rows one at a time (the k-way merge). */
    public static final class Bound
    {
        private final ColumnValues[] values;

        private Bound(ColumnValues[] values)
        {
            this.values = values;
        }
    }

    public Bound bind(VectorSchemaRoot batch)
    {
        ColumnValues[] bound = new ColumnValues[values.length];
        for (int c = 0; c < values.length; c++) {
            org.apache.arrow.vector.types.pojo.ArrowType type = schema.getFields().get(c).getType();
            bound[c] = ColumnValues.of(type, ArrowParquetTypes.parquetScale(type));
            bound[c].bind(batch.getVector(c));
        }
        return new Bound(bound);
    }

    /** Writes one row of a bound batch. */
    public void writeRow(Bound batch, int row)
    {
        write(batch.values, row);
    }

    private void writeBound(int row)
    {
        write(values, row);
    }

    private void write(ColumnValues[] bound, int row)
    {
        for (int c = 0; c < bound.length; c++) {
            bound[c].write(writers[c], row);
        }
        store.endRecord();
        rows++;
        if (++groupRows % CHECK_EVERY == 0 || groupRows >= rowGroupRows) {
            if (groupRows >= rowGroupRows || store.getBufferedSize() >= rowGroupBytes) {
                flushRowGroup();
                startRowGroup();
            }
        }
    }

    private void flushRowGroup()
    {
        if (groupRows == 0) {
            return;
        }
        try {
            file.startBlock(groupRows);
            store.flush();
            pages.flushToFileWriter(file);
            file.endBlock();
            rowGroups++;
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot write " + path + ": " + e.getMessage());
        }
        finally {
            store.close();
            pages.close();
        }
    }

    public long rows()
    {
        return rows;
    }

    static MessageType messageType(Schema schema)
    {
        List<Type> types = new ArrayList<>();
        for (Field f : schema.getFields()) {
            types.add(ArrowParquetTypes.toParquet(f));
        }
        return new MessageType("schema", types);
    }

    /** Footer metadata: the Arrow schema as pyarrow stores it, so zones and widths read back unchanged. */
    static Map<String, String> metadata(Schema schema)
    {
        return Map.of("ARROW:schema", Base64.getEncoder().encodeToString(schema.serializeAsMessage()), "writer.model.name", "tidemark");
    }

    /**
     * Writes {@code target} as the row groups of {@code parts} in order, copied byte for byte (no
     * decoding): how ranges written in parallel become one file.
     */
    public static void concat(List<Path> parts, Path target, Schema schema, long rowGroupBytes)
    {
        try {
            ParquetFileWriter writer = new ParquetFileWriter(new LocalOutputFile(target), messageType(schema),
                    ParquetFileWriter.Mode.CREATE, rowGroupBytes, 0);
            writer.start();
            for (Path part : parts) {
                writer.appendFile(new NioInputFile(part));
            }
            writer.end(metadata(schema));
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot write " + target + ": " + e.getMessage());
        }
    }

    public int rowGroups()
    {
        return rowGroups;
    }

    @Override
    public void close()
    {
        flushRowGroup();
        try {
            file.end(metadata(schema));
        }
        catch (IOException e) {
            throw TidemarkException.fatal("cannot finish " + path + ": " + e.getMessage());
        }
    }

    /** Whether a field type is one the sink writes. */
    public static boolean supports(ArrowType type)
    {
        try {
            ArrowParquetTypes.toParquet(new Field("x", org.apache.arrow.vector.types.pojo.FieldType.nullable(type), null));
            return true;
        }
        catch (TidemarkException e) {
            return false;
        }
    }
}
