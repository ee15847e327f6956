package dev.tsstream.peers;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.rest.RestServerEndpoint;
import org.apache.flink.table.gateway.api.endpoint.SqlGatewayEndpoint;
import org.apache.flink.table.gateway.api.endpoint.SqlGatewayEndpointFactoryUtils;
import org.apache.flink.table.gateway.service.SqlGatewayServiceImpl;
import org.apache.flink.table.gateway.service.context.DefaultContext;
import org.apache.flink.table.gateway.service.session.SessionManager;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Test peer: one Flink MiniCluster (JobManager REST endpoint on 127.0.0.1) and the SQL Gateway's
 * REST endpoint beside it, in one JVM, submitting to that MiniCluster. Prints
 * {@code FLINK_PEER_READY rest=<port> gateway=<port>} on stdout once both serve, and stops when
 * its standard input closes (the test run that started it went away).
 *
 * <p>Arguments: {@code --rest-port N --gateway-port M --slots S --managed-memory 128m} (ports 0 =
 * ephemeral).
 */
public final class FlinkPeer {

    public static void main(String[] args) throws Exception {
        String restPort = "0";
        String gatewayPort = "0";
        int slots = 4;
        String managed = "128m";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--rest-port": restPort = args[i + 1]; break;
                case "--gateway-port": gatewayPort = args[i + 1]; break;
                case "--slots": slots = Integer.parseInt(args[i + 1]); break;
                case "--managed-memory": managed = args[i + 1]; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }

        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, restPort);
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse(managed));
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        MiniClusterConfiguration mcConf =
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(conf)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(slots)
                        .build();
        MiniCluster cluster = new MiniCluster(mcConf);
        cluster.start();
        URI rest = cluster.getRestAddress().get();

        Configuration gw = new Configuration();
        gw.set(DeploymentOptions.TARGET, "remote");
        gw.set(RestOptions.ADDRESS, rest.getHost());
        gw.set(RestOptions.PORT, rest.getPort());
        gw.setString("sql-gateway.endpoint.type", "rest");
        gw.setString("sql-gateway.endpoint.rest.address", "127.0.0.1");
        gw.setString("sql-gateway.endpoint.rest.bind-address", "127.0.0.1");
        gw.setString("sql-gateway.endpoint.rest.bind-port", gatewayPort);
        DefaultContext context = new DefaultContext(gw, Collections.emptyList());
        SessionManager sessions = SessionManager.create(context);
        sessions.start();
        List<SqlGatewayEndpoint> endpoints =
                new ArrayList<>(
                        SqlGatewayEndpointFactoryUtils.createSqlGatewayEndpoint(
                                new SqlGatewayServiceImpl(sessions), gw));
        int gatewayBound = -1;
        for (SqlGatewayEndpoint endpoint : endpoints) {
            endpoint.start();
            if (endpoint instanceof RestServerEndpoint) {
                gatewayBound = ((RestServerEndpoint) endpoint).getServerAddress().getPort();
            }
        }
        if (gatewayBound < 0) throw new IllegalStateException("no REST gateway endpoint started");

        Runnable stop =
                () -> {
                    for (SqlGatewayEndpoint endpoint : endpoints) {
                        try {
                            endpoint.stop();
                        } catch (Exception e) {
                            // stopping anyway
                        }
                    }
                    try {
                        sessions.stop();
                    } catch (Exception e) {
                        // stopping anyway
                    }
                    try {
                        cluster.close();
                    } catch (Exception e) {
                        // stopping anyway
                    }
                };
        System.out.println("FLINK_PEER_READY rest=" + rest.getPort() + " gateway=" + gatewayBound);
        System.out.flush();

        InputStream in = System.in;
        byte[] buf = new byte[256];
        while (in.read(buf) >= 0) {
            // the parent keeps stdin open while it wants us
        }
        stop.run();
        System.exit(0);
    }
}
