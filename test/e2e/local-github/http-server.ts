import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type RequestListener = (
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
) => Promise<void>;

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/** A loopback HTTP server on a free port whose listener gets the whole body; a thrown error becomes a 500 that names it. */
export async function listen(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    readBody(request)
      .then((body) => listener(request, response, body))
      .catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ message: `local GitHub failed: ${(error as Error).stack ?? error}` }));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
