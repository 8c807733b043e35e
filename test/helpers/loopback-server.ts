import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** An HTTP server on 127.0.0.1 at a free port, for the stand-ins tests talk to. */
export class LoopbackServer {
  readonly #server: Server;

  constructor(handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void) {
    this.#server = createServer((req, res) => void handle(req, res));
  }

  /** Listens and returns the port. */
  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    return (this.#server.address() as AddressInfo).port;
  }

  /** Closes kept-alive connections too, so a test's teardown does not wait for them to time out. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
