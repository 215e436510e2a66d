package dev.geminilive.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;

/**
 * A socket factory for one SDK connection whose sockets report their own death: the SDK's session
 * has no close or error callback (SDK-GAPS Q4), so the raw TCP socket under the TLS layer is the
 * one event-driven signal left that needs no reflection.
 *
 * <p>OkHttp wraps each raw socket from this factory in TLS with auto-close, so the raw socket is
 * closed whenever the WebSocket fails, finishes its close handshake or is cancelled: its {@link
 * Socket#close()} fires {@link Listener#socketClosed()}. Its input stream additionally reports end
 * of stream and read errors (a TCP FIN or reset from the service), which arrive before OkHttp has
 * even decoded the failure. A server close frame alone fires neither (the SDK leaves the socket
 * half-closed); the ping interval and the log bridge cover that case.
 *
 * <p>A distinct factory per connection also keeps OkHttp from ever sharing a connection between two
 * sessions (a factory is part of OkHttp's connection address). Thread-safe.
 */
final class SdkSocketWatch extends SocketFactory {
  /** Receives the death of the connection's socket; may be called more than once, any thread. */
  interface Listener {
    /** The socket was closed (by OkHttp, by the connector, or after a failure). */
    void socketClosed();

    /** A read saw end of stream or failed: the peer is gone. */
    void inputEnded(String what, @org.jspecify.annotations.Nullable IOException failure);
  }

  private final Listener listener;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  SdkSocketWatch(Listener listener) {
    this.listener = listener;
  }

  /** Closes every socket made by this factory at once (the SDK session offers no cancel). */
  void closeAll() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // Closing anyway; nothing to report.
      }
    }
  }

  @Override
  public Socket createSocket() {
    WatchedSocket s = new WatchedSocket();
    sockets.add(s);
    NoDelaySocketFactory.noDelay(s);
    return s;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localHost, localPort));
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    Socket s = createSocket();
    s.connect(new InetSocketAddress(host, port));
    return s;
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    Socket s = createSocket();
    s.bind(new InetSocketAddress(localAddress, localPort));
    s.connect(new InetSocketAddress(address, port));
    return s;
  }

  private final class WatchedSocket extends Socket {
    private volatile @org.jspecify.annotations.Nullable InputStream in;

    @Override
    public synchronized void close() throws IOException {
      try {
        super.close();
      } finally {
        sockets.remove(this);
        listener.socketClosed();
      }
    }

    @Override
    public InputStream getInputStream() throws IOException {
      InputStream current = in;
      if (current == null) {
        current = new WatchedInput(super.getInputStream());
        in = current;
      }
      return current;
    }
  }

  private final class WatchedInput extends FilterInputStream {
    WatchedInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        int b = super.read();
        if (b < 0) {
          listener.inputEnded("end of stream", null);
        }
        return b;
      } catch (IOException e) {
        listener.inputEnded(String.valueOf(e), e);
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = super.read(b, off, len);
        if (n < 0) {
          listener.inputEnded("end of stream", null);
        }
        return n;
      } catch (IOException e) {
        listener.inputEnded(String.valueOf(e), e);
        throw e;
      }
    }
  }
}
