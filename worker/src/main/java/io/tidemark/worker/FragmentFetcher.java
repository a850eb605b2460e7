package io.tidemark.worker;

import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fetches one fragment from another worker's {@link FragmentServer} into a local spill file, batch
 * by batch (one batch in memory). A fragment that cannot be fetched is {@code INPUT_LOST}: the map
 * output has to be recomputed. So is one whose server goes quiet: a paused or partitioned worker
 * still accepts connections, so a fetch also fails when no batch arrives for {@code idle}.
 */
public final class FragmentFetcher
{
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tidemark-fetch-watchdog");
        t.setDaemon(true);
        return t;
    });

    private FragmentFetcher() {}

    /**
     * Copies the fragment behind {@code ticket} into {@code target} over {@code client}; returns the
     * rows fetched. Fails with {@code INPUT_LOST} when no batch arrives for {@code idle} or the whole
     * fetch takes longer than {@code total}.
     */
    public static long fetch(FlightClient client, Location from, Ticket ticket, Path target, Duration idle, Duration total)
    {
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        AtomicBoolean quiet = new AtomicBoolean();
        ScheduledFuture<?> watch = null;
        try (FlightStream stream = client.getStream(ticket, CallOptions.timeout(total.toMillis(), TimeUnit.MILLISECONDS))) {
            long period = Math.max(100, idle.toMillis() / 4);
            // armed before the first read: waiting for the schema blocks too
            watch = WATCHDOG.scheduleAtFixedRate(() -> {
                if (System.nanoTime() - lastProgress.get() > idle.toNanos() && quiet.compareAndSet(false, true)) {
                    stream.cancel("no data for " + idle.toSeconds() + " s", null);
                }
            }, period, period, TimeUnit.MILLISECONDS);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16);
                    ArrowStreamWriter writer = new ArrowStreamWriter(stream.getRoot(), null, out)) {
                long rows = 0;
                writer.start();
                while (stream.next()) {
                    lastProgress.set(System.nanoTime());
                    writer.writeBatch();
                    rows += stream.getRoot().getRowCount();
                }
                writer.end();
                return rows;
            }
        }
        catch (FlightRuntimeException e) {
            throw lost(from, quiet.get() ? "no data for " + idle.toSeconds() + " s" : e.getMessage(), e);
        }
        catch (IOException e) {
            throw new TidemarkException(FailureKind.FATAL, "cannot write fetched fragment " + target + ": " + e.getMessage(), e);
        }
        catch (Exception e) {
            if (quiet.get()) {
                throw lost(from, "no data for " + idle.toSeconds() + " s", e);
            }
            throw new TidemarkException(FailureKind.TRANSIENT, "fetch from " + from + " failed: " + e.getMessage(), e);
        }
        finally {
            if (watch != null) {
                watch.cancel(false);
            }
        }
    }

    private static TidemarkException lost(Location from, String why, Exception e)
    {
        return new TidemarkException(FailureKind.INPUT_LOST, "cannot fetch fragment from " + from + ": " + why, e);
    }
}
