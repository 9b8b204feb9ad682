import { git } from "../workspace/git.ts";

/** One file the staged change adds, modifies or deletes, as git itself lists it. */
export interface StagedFile {
  status: "A" | "M" | "D" | "T";
  /** The path as raw bytes decoded strictly; undefined when the bytes are not UTF-8. */
  path: string | undefined;
  /** The path's bytes, for the refusal message when they are not UTF-8. */
  rawPath: Buffer;
  oldMode: string;
  newMode: string;
  oldBlob: string;
  newBlob: string;
  /** Size in bytes of the new blob (0 for a deletion). */
  newSize: number;
}

const NULL_OID = /^0+$/;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function decode(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function splitNul(raw: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = raw.indexOf(0); i !== -1; i = raw.indexOf(0, start)) {
    parts.push(raw.subarray(start, i));
    start = i + 1;
  }
  return parts;
}

/**
 * What the host's index changes against HEAD, read from git's own listing (`--raw -z`, renames
 * off so both sides of a move count as changed, full object ids): never from the sandbox's
 * patch text. Paths are the bytes git stores, so a name the patch text spelled one way and git
 * another is judged as git will publish it.
 */
export async function readStagedChange(dir: string): Promise<StagedFile[]> {
  const listing = await git([
    "-C",
    dir,
    "diff",
    "--cached",
    "--raw",
    "-z",
    "--no-renames",
    "--no-abbrev",
    "--no-ext-diff",
    "--no-textconv",
    "HEAD",
  ]);
  const fields = splitNul(listing.raw);
  const files: StagedFile[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const meta = fields[i]!.toString("latin1");
    const match = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([AMDT])$/.exec(meta);
    if (!match)
      throw new Error(`git listed a staged change this action cannot read: ${JSON.stringify(meta)}`);
    const [, oldMode, newMode, oldBlob, newBlob, status] = match;
    files.push({
      status: status as StagedFile["status"],
      path: decode(fields[i + 1]!),
      rawPath: fields[i + 1]!,
      oldMode: oldMode!,
      newMode: newMode!,
      oldBlob: oldBlob!,
      newBlob: newBlob!,
      newSize: 0,
    });
  }
  const present = files.filter((f) => !NULL_OID.test(f.newBlob));
  if (present.length > 0) {
    const sizes = await git(["-C", dir, "cat-file", "--batch-check=%(objectname) %(objectsize)"], {
      input: `${present.map((f) => f.newBlob).join("\n")}\n`,
    });
    const byId = new Map(
      sizes.stdout
        .trim()
        .split("\n")
        .map((line) => line.split(" ") as [string, string]),
    );
    for (const file of present) file.newSize = Number(byId.get(file.newBlob)) || 0; // "missing" for a gitlink's commit
  }
  return files;
}

/** A blob's bytes from the host's object store. */
export async function blobBytes(dir: string, oid: string): Promise<Buffer> {
  if (NULL_OID.test(oid)) return Buffer.alloc(0);
  return (await git(["-C", dir, "cat-file", "blob", oid])).raw;
}

export function isAbsent(oid: string): boolean {
  return NULL_OID.test(oid);
}
