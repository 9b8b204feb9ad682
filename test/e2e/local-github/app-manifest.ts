import { readFile } from "node:fs/promises";
import { join } from "node:path";
import * as yaml from "js-yaml";

export type Access = "read" | "write" | "admin";
/** GitHub App permissions by name, as a manifest, an installation and a token carry them. */
export type PermissionSet = Record<string, Access>;

export interface AppManifest {
  name: string;
  permissions: PermissionSet;
  events: string[];
}

/** The manifest this project ships; `LocalGitHub.start({ manifest })` takes another. */
export const PROJECT_MANIFEST = join(import.meta.dirname, "../../../app.yml");

const ACCESS = new Set<string>(["read", "write", "admin"]);

/**
 * An installation carries exactly the permissions of the App's manifest (`default_permissions`),
 * as accepted by the account that installed it.
 * https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest#github-app-manifest-parameters
 */
export function parseManifest(text: string, origin: string): AppManifest {
  const doc = yaml.load(text) as Record<string, unknown> | null;
  if (!doc || typeof doc !== "object") throw new Error(`${origin}: not a YAML mapping`);
  const raw = (doc.default_permissions ?? {}) as Record<string, unknown>;
  const permissions: PermissionSet = {};
  for (const [name, access] of Object.entries(raw)) {
    if (typeof access !== "string" || !ACCESS.has(access)) {
      throw new Error(
        `${origin}: default_permissions.${name} is ${JSON.stringify(access)}; use read, write or admin`,
      );
    }
    permissions[name] = access as Access;
  }
  // "If you set the metadata permission to No access and select a permission that requires repository
  // access, GitHub will override your selection and set the metadata permission back to Read-only."
  // https://docs.github.com/apps/creating-github-apps/registering-a-github-app/choosing-permissions-for-a-github-app
  if (Object.keys(permissions).length > 0 && !permissions.metadata) permissions.metadata = "read";
  const events = Array.isArray(doc.default_events) ? doc.default_events.map(String) : [];
  return { name: String(doc.name ?? "app"), permissions, events };
}

/** A manifest file on disk, or its text (tests that need an App with other permissions). */
export async function loadManifest(source: { path?: string; text?: string } = {}): Promise<AppManifest> {
  if (source.text !== undefined) return parseManifest(source.text, "the manifest given to LocalGitHub.start");
  const path = source.path ?? PROJECT_MANIFEST;
  return parseManifest(await readFile(path, "utf8"), path);
}
