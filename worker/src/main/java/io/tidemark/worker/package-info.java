/**
 * The worker role of a Tidemark cluster: pulls shard tasks from the coordinator and runs them with
 * the engine. On one machine, {@code tidemark join} runs the engine directly; the cluster roles
 * (Pekko Cluster, Arrow Flight) extend this module.
 */
package io.tidemark.worker;
