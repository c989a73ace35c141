package dev.drydock.blueprint.webroot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.drydock.api.InvalidRequestException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.Test;

class ServerPreferenceTest {
    @Test
    void parsesTheFourNamesAndExplainsOthers() {
        assertThat(ServerPreference.parse("server", "auto")).isEqualTo(ServerPreference.AUTO);
        assertThat(ServerPreference.parse("server", " NGINX ")).isEqualTo(ServerPreference.NGINX);
        assertThat(ServerPreference.parse("server", "busybox")).isEqualTo(ServerPreference.BUSYBOX);
        assertThat(ServerPreference.parse("server", "python")).isEqualTo(ServerPreference.PYTHON);
        assertThatThrownBy(() -> ServerPreference.parse("server", "apache")).isInstanceOf(InvalidRequestException.class)
                .hasMessage("server: must be one of auto, nginx, busybox, python (default auto), was 'apache'");
    }

    @Test
    void readinessProbeTellsOkFromNotFoundFromRefused() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            int status = exchange.getRequestURI().getPath().equals("/") ? 200 : 404;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        int free;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            free = socket.getLocalPort();
        }
        try (ReadinessProbe probe = new ReadinessProbe()) {
            int port = server.getAddress().getPort();
            assertThat(probe.problem(URI.create("http://127.0.0.1:" + port + "/"))).isEmpty();
            assertThat(probe.problem(URI.create("http://127.0.0.1:" + port + "/missing"))).contains("answered 404");
            assertThat(probe.problem(URI.create("http://127.0.0.1:" + free + "/"))).contains("refused the connection");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void siteRefusesWhatWouldNeedQuotingAndWritesIpv6InBrackets() {
        Site site = new Site(7, "/srv/www", "::1", 8080, "/var/drydock/r1/lease-7");
        assertThat(site.uri()).hasToString("http://[::1]:8080/");
        assertThat(site.resourceDir()).isEqualTo("/var/drydock/r1");
        assertThatThrownBy(() -> new Site(7, "/srv/w w", "127.0.0.1", 80, "/r/lease-7")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("root");
        assertThatThrownBy(() -> new Site(7, "/srv/$x", "127.0.0.1", 80, "/r/lease-7")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> new Site(7, "/srv", "localhost", 80, "/r/lease-7")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("IP literal");
        assertThatThrownBy(() -> new Site(7, "/srv", "127.0.0.1", 80, "/r/lease-8")).isInstanceOf(InvalidRequestException.class);
    }
}
