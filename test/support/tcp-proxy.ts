/** A TCP proxy in front of a database, for outage tests: cut every connection, stall them, restore. */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

type Mode = 'forward' | 'cut' | 'stall';

export class TcpProxy {
  port = 0;
  #server: Server | undefined;
  #mode: Mode = 'forward';
  readonly #sockets = new Set<Socket>();

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<this> {
    this.#server = createServer((client) => this.#accept(client));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  /** The database goes away: every open connection is reset, new ones are reset at once. */
  cut(): void {
    this.#mode = 'cut';
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  /** The database stops answering: bytes are no longer forwarded, new connections hang. */
  stall(): void {
    this.#mode = 'stall';
    for (const socket of this.#sockets) socket.pause();
  }

  /** Back to forwarding (after a stall, the stalled connections are reset: the partition healed with a restart). */
  restore(): void {
    if (this.#mode === 'stall') this.cut();
    this.#mode = 'forward';
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  #accept(client: Socket): void {
    if (this.#mode === 'cut') {
      client.destroy();
      return;
    }
    this.#sockets.add(client);
    client.on('close', () => this.#sockets.delete(client));
    client.on('error', () => {});
    if (this.#mode === 'stall') {
      client.pause();
      return;
    }
    const upstream = connect(this.targetPort, this.targetHost);
    this.#sockets.add(upstream);
    upstream.on('close', () => {
      this.#sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
