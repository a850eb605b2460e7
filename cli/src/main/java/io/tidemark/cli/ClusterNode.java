package io.tidemark.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.tidemark.coordinator.Coordinator;
import io.tidemark.protocol.cluster.CoordinatorProtocol;
import io.tidemark.protocol.cluster.WorkerProtocol;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;

/**
 * One Pekko Cluster member: Artery on HOST:PORT, joining the seed, with the split-brain resolver
 * (keep-majority) enabled explicitly, Kryo (registration required) for every cluster message and no
 * Java serialization, a dispatcher for blocking work, and the proxy to the coordinator singleton
 * (which runs on members with the coordinator role).
 */
final class ClusterNode
        implements AutoCloseable
{
    static final String BLOCKING = "tidemark.blocking-dispatcher";

    final ActorSystem<Void> system;
    final ActorRef<CoordinatorProtocol.Command> coordinator;
    final Executor blocking;

    private ClusterNode(ActorSystem<Void> system, ActorRef<CoordinatorProtocol.Command> coordinator)
    {
        this.system = system;
        this.coordinator = coordinator;
        this.blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig(BLOCKING));
    }

    /**
     * @param seed the seed member as HOST:PORT (the coordinator); itself for the seed
     * @param exitJvm end the process when this member is downed or leaves (role processes)
     */
    static ClusterNode start(String host, int port, String seed, List<String> roles, boolean exitJvm, Duration taskTimeout)
    {
        return start(config(host, port, seed, roles, exitJvm), roles, taskTimeout);
    }

    /**
     * A cluster of this one member (the embedded run): its own seed, with the timers that pace a
     * real cluster's membership, singleton lookup and receptionist updates shortened, since nothing
     * travels further than this JVM.
     */
    static ClusterNode alone(String host, int port, List<String> roles, Duration taskTimeout)
    {
        Config fast = ConfigFactory.parseString(String.join("\n",
                "pekko.cluster.leader-actions-interval = 100ms",
                "pekko.cluster.gossip-interval = 200ms",
                "pekko.cluster.singleton.hand-over-retry-interval = 100ms",
                "pekko.cluster.singleton-proxy.singleton-identification-interval = 100ms",
                "pekko.cluster.typed.receptionist.distributed-data.notify-subscribers-interval = 50ms",
                "pekko.cluster.typed.receptionist.distributed-data.gossip-interval = 200ms",
                // Artery's JFR events: registering them generates classes at every start (about 0.1 s of wall, 0.3 s of CPU)
                "pekko.java-flight-recorder.enabled = off",
                // a cluster of one has no one to tell it leaves: stopping skips leaving and exiting (0.4 s of every run)
                "pekko.coordinated-shutdown.phases.cluster-leave.enabled = off",
                "pekko.coordinated-shutdown.phases.cluster-exiting.enabled = off",
                "pekko.coordinated-shutdown.phases.cluster-exiting-done.enabled = off",
                "pekko.coordinated-shutdown.phases.cluster-shutdown.enabled = off"));
        return start(fast.withFallback(config(host, port, host + ":" + port, roles, false)), roles, taskTimeout);
    }

    private static ClusterNode start(Config config, List<String> roles, Duration taskTimeout)
    {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tidemark", config);
        Behavior<CoordinatorProtocol.Command> behavior = roles.contains(WorkerProtocol.COORDINATOR_ROLE)
                ? Coordinator.create(taskTimeout) : Behaviors.empty();
        ActorRef<CoordinatorProtocol.Command> proxy = ClusterSingleton.get(system).init(
                SingletonActor.of(behavior, WorkerProtocol.COORDINATOR_NAME)
                        .withSettings(ClusterSingletonSettings.create(system).withRole(WorkerProtocol.COORDINATOR_ROLE)));
        return new ClusterNode(system, proxy);
    }

    static Config config(String host, int port, String seed, List<String> roles, boolean exitJvm)
    {
        String rolesList = roles.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(", "));
        String text = String.join("\n",
                "pekko {",
                "  loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
                "  logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
                "  loglevel = INFO",
                "  log-dead-letters = off",
                "  log-dead-letters-during-shutdown = off",
                "  actor {",
                "    provider = cluster",
                "    allow-java-serialization = off",
                "    serializers { kryo = \"io.tidemark.protocol.KryoPekkoSerializer\" }",
                "    serialization-bindings { \"io.tidemark.protocol.ClusterMessage\" = kryo }",
                "  }",
                "  remote.artery {",
                "    transport = tcp",
                "    canonical.hostname = \"" + host + "\"",
                "    canonical.port = " + port,
                "  }",
                "  cluster {",
                "    seed-nodes = [\"pekko://tidemark@" + seed + "\"]",
                "    roles = [" + rolesList + "]",
                "    downing-provider-class = \"org.apache.pekko.cluster.sbr.SplitBrainResolverProvider\"",
                "    split-brain-resolver { active-strategy = keep-majority, stable-after = 7s }",
                "    run-coordinated-shutdown-when-down = on",
                "    shutdown-after-unsuccessful-join-seed-nodes = 60s",
                "    jmx.enabled = off",
                "  }",
                "  coordinated-shutdown.exit-jvm = " + (exitJvm ? "on" : "off"),
                "  coordinated-shutdown.run-by-jvm-shutdown-hook = on",
                "}",
                "tidemark.blocking-dispatcher {",
                "  type = Dispatcher",
                "  executor = thread-pool-executor",
                "  thread-pool-executor.fixed-pool-size = 16",
                "  throughput = 1",
                "}");
        return ConfigFactory.parseString(text).withFallback(ConfigFactory.load());
    }

    @Override
    public void close()
    {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        catch (Exception e) {
            // leaving anyway
        }
    }
}
