package io.tidemark.engine.shard;

import io.tidemark.protocol.ShardId;

/** Opens the output of one shard (one piece of one bucket). */
public interface SinkFactory
{
    ShardSink open(ShardId shard);
}
