package dev.geminilive.benchmarks;

/** Plain sockets with TCP_NODELAY set before connecting. */
final class NoDelaySocketFactory extends javax.net.SocketFactory {
  private final javax.net.SocketFactory base = javax.net.SocketFactory.getDefault();

  private static java.net.Socket noDelay(java.net.Socket s) throws java.io.IOException {
    s.setTcpNoDelay(true);
    return s;
  }

  @Override
  public java.net.Socket createSocket() throws java.io.IOException {
    return noDelay(base.createSocket());
  }

  @Override
  public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
    return noDelay(base.createSocket(host, port));
  }

  @Override
  public java.net.Socket createSocket(
      String host, int port, java.net.InetAddress local, int localPort) throws java.io.IOException {
    return noDelay(base.createSocket(host, port, local, localPort));
  }

  @Override
  public java.net.Socket createSocket(java.net.InetAddress host, int port)
      throws java.io.IOException {
    return noDelay(base.createSocket(host, port));
  }

  @Override
  public java.net.Socket createSocket(
      java.net.InetAddress address, int port, java.net.InetAddress local, int localPort)
      throws java.io.IOException {
    return noDelay(base.createSocket(address, port, local, localPort));
  }
}
