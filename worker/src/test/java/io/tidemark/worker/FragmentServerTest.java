package io.tidemark.worker;

import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A bucket fragment served over Flight DoGet on loopback arrives whole and in order; nothing outside the folder is served. */
class FragmentServerTest
{
    private static final Schema SCHEMA = new Schema(List.of(
            new Field("ord", FieldType.nullable(new ArrowType.Int(64, true)), null),
            new Field("url", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));

    @TempDir
    Path temp;

    private static long fetch(FlightClient client, org.apache.arrow.flight.Location from, Ticket ticket, Path target)
    {
        return FragmentFetcher.fetch(client, from, ticket, target, Duration.ofSeconds(30), Duration.ofMinutes(2));
    }

    @Test
    void fragmentsTravelWholeAndInOrder()
            throws Exception
    {
        Path served = Files.createDirectories(temp.resolve("spill"));
        try (BufferAllocator allocator = new RootAllocator(256L << 20)) {
            writeFragment(allocator, served.resolve("left-t0-b3.arrows"), 20, 5_000);
            try (FragmentServer server = FragmentServer.start(allocator, "127.0.0.1", 0, served);
                    FlightClient client = FlightClient.builder(allocator, server.location()).build()) {
                Path copy = temp.resolve("fetched.arrows");
                long rows = fetch(client, server.location(), FragmentServer.ticket(Path.of("left-t0-b3.arrows")), copy);
                assertThat(rows).isEqualTo(100_000);
                assertThat(read(allocator, copy)).isEqualTo(read(allocator, served.resolve("left-t0-b3.arrows")));

                assertThatThrownBy(() -> fetch(client, server.location(),
                        new Ticket("fragment/../secret".getBytes(StandardCharsets.UTF_8)), temp.resolve("x")))
                        .isInstanceOfSatisfying(TidemarkException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.INPUT_LOST))
                        .hasMessageContaining("outside the fragment folder");
                assertThatThrownBy(() -> fetch(client, server.location(), FragmentServer.ticket(Path.of("gone.arrows")), temp.resolve("y")))
                        .isInstanceOfSatisfying(TidemarkException.class, e -> assertThat(e.kind()).isEqualTo(FailureKind.INPUT_LOST))
                        .hasMessageContaining("no fragment");
            }
        }
    }

    private static void writeFragment(BufferAllocator allocator, Path file, int batches, int rows)
            throws IOException
    {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator);
                OutputStream out = Files.newOutputStream(file);
                ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
            writer.start();
            long ordinal = 0;
            for (int b = 0; b < batches; b++) {
                root.allocateNew();
                BigIntVector ord = (BigIntVector) root.getVector(0);
                VarCharVector url = (VarCharVector) root.getVector(1);
                for (int i = 0; i < rows; i++, ordinal++) {
                    ord.setSafe(i, ordinal);
                    if (ordinal % 17 == 0) {
                        url.setNull(i);
                    }
                    else {
                        url.setSafe(i, ("https://example/p/" + ordinal % 997).getBytes(StandardCharsets.UTF_8));
                    }
                }
                root.setRowCount(rows);
                writer.writeBatch();
            }
            writer.end();
        }
    }

    private static List<String> read(BufferAllocator allocator, Path file)
            throws IOException
    {
        List<String> rows = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
                ArrowStreamReader reader = new ArrowStreamReader(in, allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                for (int i = 0; i < root.getRowCount(); i++) {
                    rows.add(root.getVector(0).getObject(i) + "|" + root.getVector(1).getObject(i));
                }
            }
        }
        return rows;
    }
}
