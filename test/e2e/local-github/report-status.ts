/**
 * git's answer to a push is a stream of pkt-lines (four hex digits of length, then the payload;
 * `0000` flushes). With `side-band-64k` the report-status (`unpack ok`, `ok <ref>`,
 * `ng <ref> <reason>`) travels inside band 1 as pkt-lines of its own, and band 2 carries what the
 * client prints as `remote: ...`. Source: git's protocol docs, gitprotocol-pack(5) "Report Status"
 * and "side-band, side-band-64k" (https://git-scm.com/docs/gitprotocol-pack).
 */
interface Packet {
  /** undefined for a flush packet (`0000`). */
  payload?: Buffer;
}

function readPackets(data: Buffer): Packet[] | undefined {
  const packets: Packet[] = [];
  for (let at = 0; at < data.length; ) {
    const length = Number.parseInt(data.subarray(at, at + 4).toString("latin1"), 16);
    if (!Number.isFinite(length) || (length !== 0 && length < 4)) return undefined;
    if (length === 0) {
      packets.push({});
      at += 4;
      continue;
    }
    packets.push({ payload: data.subarray(at + 4, at + length) });
    at += length;
  }
  return packets;
}

function writePackets(packets: Packet[]): Buffer {
  return Buffer.concat(
    packets.map(({ payload }) =>
      payload === undefined
        ? Buffer.from("0000")
        : Buffer.concat([Buffer.from((payload.length + 4).toString(16).padStart(4, "0")), payload]),
    ),
  );
}

/** `ng <ref> <git's reason>` becomes `ng <ref> <GitHub's reason>` for every ref in `reasons`. */
function rewriteReport(report: Buffer, reasons: Map<string, string>): Buffer {
  const packets = readPackets(report);
  if (!packets) return report;
  return writePackets(
    packets.map((packet) => {
      const line = packet.payload?.toString("utf8");
      const ng = line === undefined ? null : /^ng (\S+) /.exec(line);
      const reason = ng ? reasons.get(ng[1]!) : undefined;
      return reason === undefined ? packet : { payload: Buffer.from(`ng ${ng![1]} ${reason}\n`) };
    }),
  );
}

const BAND_DATA = 1;
const MAX_BAND_PAYLOAD = 65515;

/**
 * Rewrites the refusal reasons in receive-pack's answer, whether or not the client asked for the
 * side band, so `git push` prints `! [remote rejected] <ref> (<GitHub's reason>)`.
 */
export function rewriteRefusals(body: Buffer, reasons: Map<string, string>): Buffer {
  if (reasons.size === 0) return body;
  const packets = readPackets(body);
  if (!packets) return body;
  const first = packets.find((p) => p.payload !== undefined)?.payload;
  if (first?.toString("latin1").startsWith("unpack ")) return rewriteReport(body, reasons);

  const data = Buffer.concat(
    packets.filter((p) => p.payload?.[0] === BAND_DATA).map((p) => p.payload!.subarray(1)),
  );
  const rewritten = rewriteReport(data, reasons);
  const out: Packet[] = [];
  let placed = false;
  for (const packet of packets) {
    if (packet.payload?.[0] !== BAND_DATA) {
      out.push(packet);
      continue;
    }
    if (placed) continue;
    placed = true;
    for (let at = 0; at < rewritten.length; at += MAX_BAND_PAYLOAD) {
      const chunk = rewritten.subarray(at, at + MAX_BAND_PAYLOAD);
      out.push({ payload: Buffer.concat([Buffer.from([BAND_DATA]), chunk]) });
    }
  }
  return writePackets(out);
}
