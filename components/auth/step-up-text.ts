/**
 * The message key that says why a step-up is asked, per policy action
 * (`stepUp.why.<key>`): action names hold dots, which next-intl reads as
 * nesting. An action without its own sentence gets the general one.
 */
const WHY_KEYS: Readonly<Record<string, string>> = {
  "file.view_private": "fileViewPrivate",
  "file.export": "fileExport",
  "payout.change": "payoutChange",
  "security.factor.add": "factorAdd",
  "security.factor.remove": "factorRemove",
  "admin.view": "adminView",
};

export function stepUpWhyKey(action: string): string {
  return Object.hasOwn(WHY_KEYS, action) ? WHY_KEYS[action] : "other";
}

/** Policy reasons with a sentence of their own (`policy.reasons.<id>`); others read as the general one. */
export const EXPLAINED_REASONS = [
  "role_required",
  "blocked_network",
  "anonymizer",
  "restricted_session",
  "no_strong_factor",
  "reauthentication_required",
  "recent_recovery",
  "impossible_travel",
  "new_device",
  "new_country",
  "failed_attempts",
  "no_device_key",
  "untrusted_device",
] as const;

export function reasonKey(reason: string): string {
  return (EXPLAINED_REASONS as readonly string[]).includes(reason) ? reason : "other";
}
