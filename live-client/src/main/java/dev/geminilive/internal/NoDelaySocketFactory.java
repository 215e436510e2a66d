package dev.geminilive.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Plain sockets with {@code TCP_NODELAY} on. Live traffic is many small frames (a 20 ms audio chunk
 * is under 1 KiB); with Nagle's algorithm and delayed acknowledgements each could wait up to 40 ms,
 * which the benchmarks measured as about 20 ms of median input latency at real-time pace.
 *
 * <p>One factory serves one connection and remembers the socket it made last (the connection's own:
 * a connect that retries another route makes a new one), so that the connection can let Nagle's
 * algorithm coalesce a burst ({@link BurstCoalescing}). Thread-safe.
 */
final class NoDelaySocketFactory extends SocketFactory {
  private volatile @Nullable Socket last;

  NoDelaySocketFactory() {}

  /** The socket this factory made last, or null before the connect has made one. */
  @Nullable Socket socket() {
    return last;
  }

  private Socket made(Socket s) {
    last = s;
    return noDelay(s);
  }

  static Socket noDelay(Socket s) {
    try {
      s.setTcpNoDelay(true);
    } catch (SocketException e) {
      // Not supported by this socket: it still works, only with Nagle's algorithm.
    }
    return s;
  }

  @Override
  public Socket createSocket() {
    return made(new Socket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return made(new Socket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return made(new Socket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return made(new Socket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return made(new Socket(address, port, localAddress, localPort));
  }
}
