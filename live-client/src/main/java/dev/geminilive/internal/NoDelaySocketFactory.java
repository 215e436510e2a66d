package dev.geminilive.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;

/**
 * Plain sockets with {@code TCP_NODELAY} on. Live traffic is many small frames (a 20 ms audio chunk
 * is under 1 KiB); with Nagle's algorithm and delayed acknowledgements each could wait up to 40 ms,
 * which the benchmarks measured as about 20 ms of median input latency at real-time pace.
 */
final class NoDelaySocketFactory extends SocketFactory {
  static final NoDelaySocketFactory INSTANCE = new NoDelaySocketFactory();

  private NoDelaySocketFactory() {}

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
    return noDelay(new Socket());
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return noDelay(new Socket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return noDelay(new Socket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return noDelay(new Socket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return noDelay(new Socket(address, port, localAddress, localPort));
  }
}
