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
import org.apache.pekko.actor.typed.Props;
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
 * (which runs on members with the coordinator role). Or, for the embedded run, every role's actor
 * system with no cluster at all ({@link #inJvm}).
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
     * Every role of an embedded run in one actor system with Pekko's local provider: the same
     * coordinator, worker and collector actors, messages and receptionist listing as on a cluster,
     * the coordinator spawned directly instead of as a cluster singleton. A cluster of this one
     * member added only its own start (Artery, membership, the singleton's and the receptionist's
     * replication) and its periodic gossip, with nothing to travel further than this JVM.
     */
    static ClusterNode inJvm(Duration taskTimeout)
    {
        Config config = ConfigFactory.parseString(String.join("\n",
                "pekko.actor.provider = local",
                // nothing is serialized in one JVM: the serializers of every module on the class path (remoting, cluster,
                // distributed data, protobuf) were made at every start; the extension is made when first used instead
                "pekko.library-extensions = [\"org.apache.pekko.actor.typed.internal.adapter.ActorSystemAdapter$LoadTypedExtensions\"]",
                common(false))).withFallback(ConfigFactory.load());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "tidemark", config);
        ActorRef<CoordinatorProtocol.Command> coordinator = system.systemActorOf(Coordinator.create(taskTimeout),
                WorkerProtocol.COORDINATOR_NAME, Props.empty());
        return new ClusterNode(system, coordinator);
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
                "  actor.provider = cluster",
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
                "}",
                common(exitJvm));
        return ConfigFactory.parseString(text).withFallback(ConfigFactory.load());
    }

    /** Logging, serialization, shutdown and the blocking dispatcher: the same on a cluster and in one JVM. */
    private static String common(boolean exitJvm)
    {
        return String.join("\n",
                "pekko {",
                "  loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
                "  logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
                "  loglevel = INFO",
                "  log-dead-letters = off",
                "  log-dead-letters-during-shutdown = off",
                "  actor {",
                "    allow-java-serialization = off",
                "    serializers { kryo = \"io.tidemark.protocol.KryoPekkoSerializer\" }",
                "    serialization-bindings { \"io.tidemark.protocol.ClusterMessage\" = kryo }",
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
