/** A forwarding HTTP proxy that can answer errors instead of its target, for the e2e tests (not a test file). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Fault {
  status: number;
  headers: Record<string, string>;
  times: number;
}

/**
 * Forwards every request to `target` (same path and query, method, headers and body) unless a queued fault
 * answers it: `fail(503, {times: 2})` makes the next two requests 503 (a Gatehouse "down for a while").
 */
export class FaultProxy {
  readonly target: string;
  url = '';
  /** requests answered by a fault / forwarded */
  faulted = 0;
  forwarded = 0;
  readonly #faults: Fault[] = [];
  #server: Server | undefined;

  constructor(target: string) {
    this.target = target.replace(/\/+$/, '');
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** The next `times` requests get `status` (with `headers`, e.g. retry-after). */
  fail(status: number, options: { times?: number; headers?: Record<string, string> } = {}): void {
    this.#faults.push({ status, headers: options.headers ?? {}, times: options.times ?? 1 });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const fault = this.#faults.find((f) => f.times > 0);
    if (fault) {
      fault.times--;
      this.faulted++;
      res.writeHead(fault.status, { 'content-type': 'text/html', ...fault.headers });
      res.end(`<html><body><h1>${fault.status}</h1></body></html>`);
      return;
    }
    this.forwarded++;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || name === 'host' || name === 'connection' || name === 'content-length') continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    try {
      const response = await fetch(`${this.target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body ? { body: new Uint8Array(body) } : {}) });
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (name !== 'content-length' && name !== 'transfer-encoding' && name !== 'connection' && name !== 'content-encoding') out[name] = value;
      });
      const text = Buffer.from(await response.arrayBuffer());
      res.writeHead(response.status, out);
      res.end(text);
    } catch (error) {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${(error as Error).message}`);
    }
  }
}
