package io.tidemark.protocol;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What to join and how: the semantics only, no paths and no resources. It travels inside every
 * task message, so every shard of a job runs the same join.
 *
 * @param tolerance the tolerance as the user wrote it ("250ms", "3", ...), or null for none;
 *        resolved against the key type by the engine
 * @param maxOutputRows exact joins only: the largest output allowed; 0 means 10x the larger input
 */
public record JoinSpec(
        String leftOn,
        String rightOn,
        List<String> leftBy,
        List<String> rightBy,
        Direction direction,
        String tolerance,
        boolean allowExactMatches,
        How how,
        String leftSuffix,
        String rightSuffix,
        boolean exact,
        Validate validate,
        long maxOutputRows,
        NullKeys nullKeys)
        implements ClusterMessage
{
    public JoinSpec
    {
        requireNonNull(leftOn, "leftOn is null");
        requireNonNull(rightOn, "rightOn is null");
        leftBy = List.copyOf(requireNonNull(leftBy, "leftBy is null"));
        rightBy = List.copyOf(requireNonNull(rightBy, "rightBy is null"));
        requireNonNull(direction, "direction is null");
        requireNonNull(how, "how is null");
        requireNonNull(leftSuffix, "leftSuffix is null");
        requireNonNull(rightSuffix, "rightSuffix is null");
        requireNonNull(validate, "validate is null");
        requireNonNull(nullKeys, "nullKeys is null");
        if (leftBy.size() != rightBy.size()) {
            throw TidemarkException.fatal("--left-by has " + leftBy.size() + " columns but --right-by has " + rightBy.size());
        }
        if (maxOutputRows < 0) {
            throw TidemarkException.fatal("--max-output-rows must not be negative: " + maxOutputRows);
        }
        if (leftSuffix.equals(rightSuffix)) {
            throw TidemarkException.fatal("--suffixes must differ: '" + leftSuffix + "' twice");
        }
    }

    /** A backward as-of join on one column, keyed by the given columns: pandas' defaults otherwise. */
    public static JoinSpec asof(String on, List<String> by)
    {
        return new JoinSpec(on, on, by, by, Direction.BACKWARD, null, true, How.LEFT, "_x", "_y",
                false, Validate.MANY_TO_MANY, 0, NullKeys.MATCH);
    }

    public boolean hasBy()
    {
        return !leftBy.isEmpty();
    }
}
