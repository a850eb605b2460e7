/**
 * The coordinator role of a Tidemark cluster: plans a join into shard tasks, assigns them to
 * workers, and is the commit authority for shard outputs. The cluster roles extend this module.
 */
package io.tidemark.coordinator;
