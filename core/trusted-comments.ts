import { meetsMinimum, type Permission } from "./permissions.ts";

/** The fields of an issue or PR comment that decide whether its text may reach the model. */
export interface CommentToVet {
  id: number;
  author: string;
  /** ISO 8601 times as the REST API gives them (`created_at`, `updated_at`). */
  createdAt: string;
  updatedAt?: string | null;
}

export interface TrustRules {
  /** The trigger time: text created or edited later could steer a running task, so it is left out. */
  frozenAt: string;
  minimum: Permission;
  /** The author's permission; the caller looks it up (and decides what allowed bots count as). */
  permissionOf: (author: string) => Permission;
}

export interface VettedComments<C> {
  trusted: C[];
  /** Why each comment was left out, for the audit log. */
  dropped: { id: number; why: string }[];
}

/**
 * Text from people below the required permission never reaches the model, not even quoted: a
 * comment is kept whole or dropped whole. Times that do not parse count as later than the trigger,
 * so bad data fails closed.
 */
export function selectTrustedComments<C extends CommentToVet>(
  comments: readonly C[],
  rules: TrustRules,
): VettedComments<C> {
  const frozenAt = Date.parse(rules.frozenAt);
  if (Number.isNaN(frozenAt)) throw new Error(`frozenAt must be an ISO 8601 time; got ${rules.frozenAt}`);
  const later = (time: string) => !(Date.parse(time) <= frozenAt);
  const vetted: VettedComments<C> = { trusted: [], dropped: [] };
  for (const comment of comments) {
    const drop = (why: string) => vetted.dropped.push({ id: comment.id, why });
    if (later(comment.createdAt)) drop("created after the trigger");
    else if (comment.updatedAt && later(comment.updatedAt)) drop("edited after the trigger");
    else {
      const permission = rules.permissionOf(comment.author);
      if (meetsMinimum(permission, rules.minimum)) vetted.trusted.push(comment);
      else drop(`author has ${permission} permission; ${rules.minimum} is required`);
    }
  }
  return vetted;
}
