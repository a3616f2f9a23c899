import { z } from "zod";
import type { Execution } from "@/lib/auth/core/execute";
import type { Locale } from "@/lib/i18n/locales";
import type { Done } from "@/lib/product/done-flags";

/**
 * What the workspace's server actions share: reading a form with zod, and
 * turning a command's envelope into the page to land on. Not an action
 * module itself (no "use server"): only helpers the actions call.
 */

/** Every field as text; a file or a missing field becomes "" and the command's schema decides. */
export function formText<K extends string>(form: FormData, keys: readonly K[]): Record<K, string> {
  const shape = Object.fromEntries(keys.map((key) => [key, z.string().catch("")])) as Record<K, z.ZodCatch<z.ZodString>>;
  return z.object(shape).parse(Object.fromEntries(keys.map((key) => [key, form.get(key) ?? ""]))) as Record<K, string>;
}

export function signInFor(locale: Locale, page: string): string {
  return `/${locale}/sign-in?callbackUrl=${encodeURIComponent(`/${locale}${page}`)}`;
}

/**
 * For buttons in lists (approve, delete, ...): back to `page` with
 * `?done=` on success or `?error=<code>` otherwise, which the page
 * translates. A session that ended on the way goes to sign-in.
 */
export function pathAfter(locale: Locale, page: string, execution: Execution, done: Done | string): string {
  if (execution.envelope.ok) return `/${locale}${page}?done=${done}`;
  const code = execution.envelope.error?.code ?? "INTERNAL_ERROR";
  if (code === "UNAUTHENTICATED") return signInFor(locale, page);
  return `/${locale}${page}?error=${code}`;
}
