package org.nucleispark.job;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.UUID;

/**
 * A real S3-compatible server for tests: S3Proxy (Maven Central, org.gaul:s3proxy, fetched into
 * target/ by the build) in its own JVM on a free loopback port, backed by jclouds' in-memory store.
 * A child process rather than in-process because S3Proxy's Jetty 12 and Guava clash with Spark's.
 */
final class S3ProxyServer implements AutoCloseable {
    final String endpoint;
    final String accessKey = "test-access-" + UUID.randomUUID().toString().substring(0, 8);
    final String secretKey = "test-secret-" + UUID.randomUUID();
    private final Process process;
    private final Path dir;

    S3ProxyServer() throws IOException, InterruptedException {
        String jar = System.getProperty("nucleispark.test.s3proxy.jar", "target/s3proxy/s3proxy.jar");
        if (!Files.isRegularFile(Paths.get(jar))) {
            throw new IllegalStateException(jar + " is missing; run the tests through Maven (mvn test), whose "
                    + "generate-test-resources phase copies S3Proxy there");
        }
        int port = freePort();
        endpoint = "http://127.0.0.1:" + port;
        dir = Files.createTempDirectory("s3proxy");
        Path props = dir.resolve("s3proxy.properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                "jclouds.provider=transient",
                "") );
        Path log = dir.resolve("s3proxy.log");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", jar, "--properties", props.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        waitUntilListening(port, log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void waitUntilListening(int port, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not listen on port " + port + " within 60 s:\n" + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        org.apache.commons.io.FileUtils.deleteQuietly(dir.toFile());
    }
}
