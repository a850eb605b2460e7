package io.tidemark.cli;

import io.tidemark.protocol.cluster.WorkerProtocol;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.LocalActorRefProvider;
import org.apache.pekko.serialization.SerializationExtension$;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterNodeTest
{
    /**
     * The embedded run's actor system: Pekko's local provider (no Artery, no membership), the
     * coordinator spawned directly rather than behind a singleton proxy, and no serializers made at
     * the start (each module's were, about 340 classes of remoting, cluster and protobuf, on every
     * run). {@code EmbeddedJoinTest} runs joins through it.
     */
    @Test
    void theRolesOfOneJvmRunWithoutACluster()
    {
        try (ClusterNode node = ClusterNode.inJvm(Duration.ofMinutes(1))) {
            ExtendedActorSystem classic = (ExtendedActorSystem) node.system.classicSystem();
            assertThat(classic.provider()).isInstanceOf(LocalActorRefProvider.class);
            assertThat(classic.hasExtension(SerializationExtension$.MODULE$)).isFalse();
            assertThat(node.coordinator.path().toStringWithoutAddress()).isEqualTo("/system/" + WorkerProtocol.COORDINATOR_NAME);
        }
    }
}
