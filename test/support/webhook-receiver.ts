import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  at: number;
  /** the event id of the body (parsed once) */
  eventId: string;
}

/** A loopback webhook receiver: records every request and answers what `respond` says (default 200). */
export interface Receiver {
  url: string;
  received: Received[];
  /** the status to answer a request with */
  respond: (body: string, index: number) => number;
  /** answer after this many milliseconds */
  delayMs: number;
  /** the event ids acknowledged (2xx), in the order they were acknowledged */
  acknowledged(): string[];
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1, on `port` when given (to come back where a stopped one was). */
export async function startReceiver(options: { port?: number } = {}): Promise<Receiver> {
  const received: Received[] = [];
  let server: Server;
  const receiver: Receiver = {
    url: '',
    received,
    respond: () => 200,
    delayMs: 0,
    acknowledged: () => received.filter((r) => r.status >= 200 && r.status < 300).map((r) => r.eventId),
    close: () => new Promise((done) => {
      server.closeAllConnections();
      server.close(() => done());
    }),
  };
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = receiver.respond(body, received.length);
      let eventId = '';
      try {
        eventId = String(JSON.parse(body).id);
      } catch {
        // not JSON: recorded as is
      }
      received.push({ headers: req.headers, body, status, at: Date.now(), eventId });
      const answer = () => res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 300 ? `nope ${'x'.repeat(3000)}` : 'ok');
      if (receiver.delayMs > 0) setTimeout(answer, receiver.delayMs);
      else answer();
    });
  });
  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return receiver;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
