package io.tidemark.coordinator;

import io.tidemark.engine.output.SingleFileOutput;
import io.tidemark.engine.shard.PieceSplitter;
import io.tidemark.protocol.cluster.FragmentRef;
import io.tidemark.protocol.cluster.JobOrder;

import java.util.Arrays;
import java.util.List;

/**
 * The output ranges of a single-file job: a few per submitter worker thread ({@link SingleFileOutput#ranges}),
 * cut at quantiles of the left map outputs' key samples, so the collector merges them on parallel threads. Any cuts are
 * correct (ranges only spread the final merge), so a job fixes them once, the first time every map
 * output exists, and keeps them when map tasks are re-run. A dataset output has none.
 */
final class OutputRanges
{
    private OutputRanges() {}

    static long[] cuts(JobOrder order, List<FragmentRef> mapOutputs)
    {
        if (!order.singleFile() || order.resources().workers() <= 1) {
            return new long[0];
        }
        long[] keys = mapOutputs.stream()
                .filter(FragmentRef::left)
                .flatMapToLong(f -> Arrays.stream(f.sample()))
                .toArray();
        return PieceSplitter.boundaries(keys, new long[0], SingleFileOutput.ranges(order.resources().workers()));
    }
}
