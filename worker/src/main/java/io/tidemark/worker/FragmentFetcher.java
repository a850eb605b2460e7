package io.tidemark.worker;

import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Fetches one fragment from another worker's {@link FragmentServer} into a local spill file, batch
 * by batch (one batch in memory). A fragment that cannot be fetched is {@code INPUT_LOST}: the map
 * output has to be recomputed.
 */
public final class FragmentFetcher
{
    private FragmentFetcher() {}

    /** Copies the fragment behind {@code ticket} into {@code target}; returns the rows fetched. */
    public static long fetch(BufferAllocator allocator, Location from, Ticket ticket, Path target)
    {
        return fetch(allocator, from, ticket, target, Duration.ofHours(6));
    }

    /** As above, failing with {@code INPUT_LOST} when the whole fetch takes longer than {@code deadline}. */
    public static long fetch(BufferAllocator allocator, Location from, Ticket ticket, Path target, Duration deadline)
    {
        try (FlightClient client = FlightClient.builder(allocator, from).build();
                FlightStream stream = client.getStream(ticket, CallOptions.timeout(deadline.toMillis(), TimeUnit.MILLISECONDS));
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16);
                ArrowStreamWriter writer = new ArrowStreamWriter(stream.getRoot(), null, out)) {
            long rows = 0;
            writer.start();
            while (stream.next()) {
                writer.writeBatch();
                rows += stream.getRoot().getRowCount();
            }
            writer.end();
            return rows;
        }
        catch (FlightRuntimeException e) {
            throw new TidemarkException(FailureKind.INPUT_LOST, "cannot fetch fragment from " + from + ": " + e.getMessage(), e);
        }
        catch (IOException e) {
            throw new TidemarkException(FailureKind.FATAL, "cannot write fetched fragment " + target + ": " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(FailureKind.TRANSIENT, "interrupted while fetching from " + from, e);
        }
        catch (Exception e) {
            throw new TidemarkException(FailureKind.TRANSIENT, "fetch from " + from + " failed: " + e.getMessage(), e);
        }
    }
}
