package io.tidemark.worker;

import io.tidemark.protocol.cluster.ReduceTask;
import org.apache.arrow.flight.FlightDescriptor;

/**
 * The Flight descriptor a piece of a shard attempt is put under: {@code piece/JOB/BUCKET/ATTEMPT/EPOCH/PIECE/run|part}.
 * The collector parses the same layout.
 */
final class Descriptors
{
    private Descriptors() {}

    static FlightDescriptor piece(ReduceTask task, int piece, boolean run)
    {
        return FlightDescriptor.path("piece", task.job().id().value(), Integer.toString(task.attempt().shard().bucket()),
                Integer.toString(task.attempt().number()), Long.toString(task.job().epoch().value()), Integer.toString(piece),
                run ? "run" : "part");
    }
}
