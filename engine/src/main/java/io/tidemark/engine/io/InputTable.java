package io.tidemark.engine.io;

import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * One side of a join: a Parquet file, a directory of them or a glob, resolved to files in path
 * order, with one Arrow schema that every file must share.
 */
public final class InputTable
{
    private final String name;
    private final List<InputFile> files;
    private final Schema schema;

    private InputTable(String name, List<InputFile> files, Schema schema)
    {
        this.name = requireNonNull(name, "name is null");
        this.files = List.copyOf(files);
        this.schema = requireNonNull(schema, "schema is null");
    }

    public static InputTable open(String spec)
    {
        List<Path> paths = resolve(spec);
        List<InputFile> files = new ArrayList<>();
        Schema schema = null;
        Path first = null;
        long ordinal = 0;
        for (Path path : paths) {
            ParquetMetadata footer = readFooter(path);
            Schema fileSchema = arrowSchema(path.toString(), footer);
            if (schema == null) {
                schema = fileSchema;
                first = path;
            }
            else if (!schema.equals(fileSchema)) {
                throw TidemarkException.fatal(path + ": schema " + describe(fileSchema) + " differs from " + first + ": " + describe(schema));
            }
            InputFile file = new InputFile(path, ordinal, footer);
            ordinal += file.rows();
            files.add(file);
        }
        return new InputTable(spec, files, schema);
    }

    public static ParquetReadOptions readOptions()
    {
        return readOptions(new ChunkBuffers(0));
    }

    /** Read options whose compressed column chunks are read into arrays from {@code buffers}. */
    public static ParquetReadOptions readOptions(ChunkBuffers buffers)
    {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        return ParquetReadOptions.builder(conf).withCodecFactory(new ReadCodecs(new CodecFactory(conf, 0)))
                .withAllocator(requireNonNull(buffers, "buffers is null")).build();
    }

    public String name()
    {
        return name;
    }

    /** The largest compressed row group of a table: its bytes (0 when no file has one) and where it is (the table's name then). */
    public record LargestRowGroup(long compressedBytes, String where) {}

    /** What one reader of this table holds at once: parquet-java reads a row group's compressed chunks whole. */
    public LargestRowGroup largestRowGroup()
    {
        long largest = 0;
        String where = name;
        for (InputFile file : files) {
            for (BlockMetaData block : file.footer().getBlocks()) {
                if (block.getCompressedSize() > largest) {
                    largest = block.getCompressedSize();
                    where = file.path().toString();
                }
            }
        }
        return new LargestRowGroup(largest, where);
    }

    public List<InputFile> files()
    {
        return files;
    }

    public Schema schema()
    {
        return schema;
    }

    public long rows()
    {
        return files.stream().mapToLong(InputFile::rows).sum();
    }

    /** Uncompressed bytes of all row groups, as the footers say: an estimate of the Arrow size. */
    public long uncompressedBytes()
    {
        return files.stream().flatMap(f -> f.footer().getBlocks().stream()).mapToLong(BlockMetaData::getTotalByteSize).sum();
    }

    /** The file that holds a column, for error messages: the first file when all share the schema. */
    public String fileFor(String column)
    {
        return files.isEmpty() ? name : files.get(0).path().toString();
    }

    private static List<Path> resolve(String spec)
    {
        List<Path> out = new ArrayList<>();
        if (spec.contains("*") || spec.contains("?") || spec.contains("[")) {
            Path pattern = Paths.get(spec).toAbsolutePath();
            Path dir = pattern.getParent();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, pattern.getFileName().toString())) {
                stream.forEach(p -> {
                    if (Files.isRegularFile(p)) {
                        out.add(p);
                    }
                });
            }
            catch (IOException e) {
                throw TidemarkException.fatal(spec + ": cannot list " + dir + ": " + e.getMessage());
            }
        }
        else {
            Path path = Paths.get(spec);
            if (Files.isDirectory(path)) {
                try (Stream<Path> stream = Files.walk(path)) {
                    stream.filter(Files::isRegularFile)
                            .filter(p -> p.getFileName().toString().endsWith(".parquet"))
                            .filter(p -> !hidden(path.relativize(p)))
                            .forEach(out::add);
                }
                catch (IOException e) {
                    throw TidemarkException.fatal(spec + ": cannot list directory: " + e.getMessage());
                }
            }
            else if (Files.isRegularFile(path)) {
                out.add(path);
            }
            else {
                throw TidemarkException.fatal(spec + ": no such file or directory");
            }
        }
        out.sort(null);
        if (out.isEmpty()) {
            throw TidemarkException.fatal(spec + ": no Parquet files found");
        }
        return out;
    }

    private static boolean hidden(Path relative)
    {
        for (Path part : relative) {
            String s = part.toString();
            if (s.startsWith(".") || s.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    private static ParquetMetadata readFooter(Path path)
    {
        try (ParquetFileReader reader = ParquetFileReader.open(new NioInputFile(path), readOptions())) {
            return reader.getFooter();
        }
        catch (IOException | RuntimeException e) {
            throw TidemarkException.fatal(path + ": not a readable Parquet file: " + e.getMessage());
        }
    }

    static Schema arrowSchema(String file, ParquetMetadata footer)
    {
        Map<String, Field> arrowFields = new HashMap<>();
        String encoded = footer.getFileMetaData().getKeyValueMetaData().get("ARROW:schema");
        if (encoded != null) {
            try {
                Schema stored = Schema.deserializeMessage(ByteBuffer.wrap(Base64.getDecoder().decode(encoded)));
                for (Field f : stored.getFields()) {
                    arrowFields.put(f.getName(), f);
                }
            }
            catch (RuntimeException ignored) {
                // a writer's Arrow schema we cannot read: the Parquet types alone still describe the columns
            }
        }
        MessageType message = footer.getFileMetaData().getSchema();
        List<Field> fields = new ArrayList<>();
        for (Type type : message.getFields()) {
            Field stored = arrowFields.get(type.getName());
            String zone = null;
            TimeUnit unit = null;
            if (stored != null && stored.getType() instanceof ArrowType.Timestamp) {
                zone = ((ArrowType.Timestamp) stored.getType()).getTimezone();
                unit = ((ArrowType.Timestamp) stored.getType()).getUnit();
            }
            fields.add(ArrowParquetTypes.toArrow(file, type, zone, unit));
        }
        return new Schema(fields);
    }

    private static String describe(Schema schema)
    {
        StringBuilder out = new StringBuilder("(");
        for (Field f : schema.getFields()) {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(f.getName()).append(' ').append(f.getType());
        }
        return out.append(')').toString();
    }
}
