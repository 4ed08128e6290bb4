import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

export type ProxyMode = { kind: 'pass' } | { kind: 'delay'; ms: number } | { kind: 'refuse' } | { kind: 'error'; status: number };

const ERROR_BODY = '{"error":{"code":"UNAVAILABLE","message":"injected by the chaos proxy"}}';

/**
 * A TCP proxy on loopback in front of a server, for chaos tests: passes bytes through, delays what the
 * client sends by a fixed time (order kept), refuses connections and cuts the open ones (the server looks
 * down), or answers every request itself with an HTTP error (the server is up but failing).
 */
export class ChaosProxy {
  private mode: ProxyMode = { kind: 'pass' };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(private target: { host: string; port: number }) {
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  set(mode: ProxyMode): void {
    this.mode = mode;
    if (mode.kind === 'refuse') for (const s of this.sockets) s.destroy();
  }

  /** New connections go to another server from now on (a replacement taking over the address, as a new pod behind a Service). */
  retarget(target: { host: string; port: number }): void {
    this.target = target;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    if (this.mode.kind === 'refuse') {
      client.destroy();
      return;
    }
    const upstream = connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      // Bytes go on as they come: Nagle's algorithm would hold small writes back for the peer's delayed ACK.
      s.setNoDelay(true);
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    let last = 0;
    client.on('data', (chunk) => {
      if (this.mode.kind === 'error') {
        // One answer per chunk: a keep-alive client sends one request per write.
        client.write(`HTTP/1.1 ${this.mode.status} Injected\r\ncontent-type: application/json\r\ncontent-length: ${ERROR_BODY.length}\r\n\r\n${ERROR_BODY}`);
        return;
      }
      const delay = this.mode.kind === 'delay' ? this.mode.ms : 0;
      const now = performance.now();
      const at = Math.max(now + delay, last);
      last = at;
      if (at <= now) upstream.write(chunk);
      else setTimeout(() => upstream.write(chunk), at - now);
    });
    upstream.on('data', (chunk) => client.write(chunk));
  }
}
