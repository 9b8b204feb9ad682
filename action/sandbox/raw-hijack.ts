/**
 * Starts a `docker exec` and returns its raw, hijacked connection, spoken directly over the
 * engine's socket. dockerode does the same through `http.request`, which HTTP interceptors (nock
 * in this project's tests, proxies' agents) break; a plain socket cannot be intercepted that way.
 * Falls back to dockerode for TLS engines.
 */
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import type Docker from "dockerode";

interface ModemView {
  socketPath?: unknown;
  host?: string;
  port?: number;
  protocol?: string;
  version?: string;
  getSocketPath?: () => Promise<string>;
}

async function openEngineSocket(modem: ModemView): Promise<Socket | undefined> {
  if (modem.socketPath) {
    const path = modem.getSocketPath ? await modem.getSocketPath() : String(modem.socketPath);
    return connect(path);
  }
  if (modem.host && modem.protocol !== "https") return connect(modem.port ?? 2375, modem.host);
  return undefined;
}

/** Reads the HTTP response head; bytes after it are put back for the stream's reader. */
function readResponseHead(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end === -1) return;
      socket.off("data", onData);
      socket.off("error", reject);
      socket.pause();
      const rest = buffered.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(buffered.toString("latin1", 0, end));
    };
    socket.on("data", onData);
    socket.once("error", reject);
    socket.once("end", () => reject(new Error("Docker closed the connection before answering")));
  });
}

export async function startHijackedExec(docker: Docker, exec: Docker.Exec): Promise<Duplex> {
  const modem = docker.modem as unknown as ModemView;
  const socket = await openEngineSocket(modem);
  if (!socket) return (await exec.start({ hijack: true, stdin: true })) as unknown as Duplex;
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const body = JSON.stringify({ Detach: false, Tty: false });
  const prefix = modem.version ? `/${modem.version}` : "";
  socket.write(
    `POST ${prefix}/exec/${exec.id}/start HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n${body}`,
  );
  const head = await readResponseHead(socket);
  const status = Number(head.split(" ")[1]);
  if (status !== 101 && status !== 200) {
    socket.destroy();
    throw new Error(`Docker refused to start the shell exec: ${head.split("\r\n")[0]}`);
  }
  return socket;
}
