/** Repository roles from weakest to strongest, as the collaborator-permission API names them. */
export const permissionLevels = ["none", "read", "triage", "write", "maintain", "admin"] as const;
export type Permission = (typeof permissionLevels)[number];

/** Minimums a repository may configure for commands that change code. */
export const codeChangingMinimums = ["write", "maintain", "admin"] as const;
export type CodeChangingMinimum = (typeof codeChangingMinimums)[number];

/**
 * The collaborator-permission API answers with a legacy `permission` (admin/write/read/none) and a
 * precise `role_name` (admin/maintain/write/triage/read, or a custom role). Prefer the precise one
 * when it is a known role; fall back to the legacy field for custom roles.
 */
export function effectivePermission(answer: { permission?: string; role_name?: string }): Permission {
  const known = (value: string | undefined): Permission | undefined =>
    (permissionLevels as readonly string[]).includes(value ?? "") ? (value as Permission) : undefined;
  return known(answer.role_name) ?? known(answer.permission) ?? "none";
}

export function meetsMinimum(actual: Permission, minimum: Permission): boolean {
  return permissionLevels.indexOf(actual) >= permissionLevels.indexOf(minimum);
}
