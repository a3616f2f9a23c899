import { render } from "@react-email/render";
import { createTranslator } from "next-intl";
import { createElement } from "react";
import { deliveryDeps, type AuthDeps } from "../../auth/core/deps";
import { failure, success, type Result } from "../../auth/core/errors";
import type { Db } from "../../db/client";
import { dispatchMessage, enqueueEmail, type QueuedEmail } from "../../delivery/outbox";
import { prismaOutboxStore } from "../../delivery/prisma-outbox-store";
import { NoticeEmail } from "../../delivery/templates/notice-email";
import { isolate } from "../../i18n/isolate";
import { isLocale, type Locale } from "../../i18n/locales";
import { messagesByLocale } from "../../i18n/messages";
import { isCountryCode } from "../countries";
import { hasInvisibleCharacters } from "../invisible-characters";
import { maskIban, parseIban } from "./iban";

/**
 * Where an account's payouts go: one holder name and IBAN per account.
 * Changing them moves money, so the command that calls `savePayout` is
 * guarded by the policy's `payout.change` row (a passkey, minutes old:
 * lib/auth/policy/policy-table.ts) before this runs, and every change is
 * told to the account by email, so a change the owner did not make is
 * noticed. Only the masked IBAN ever leaves this file: pages, answers and
 * the email show "GB82••••5432", and the audit log neither.
 */

export type PayoutDeps = Pick<AuthDeps, "db" | "clock" | "transport" | "emailFrom" | "appBaseUrl" | "store">;

export interface PayoutInput {
  holderName: string;
  iban: string;
  /** ISO 3166-1 alpha-2: the bank's country, which the IBAN names too. */
  country: string;
}

export interface MaskedPayout {
  holderName: string;
  ibanMasked: string;
  country: string;
  updatedAt: Date;
}

/** Long enough for a company's legal name (SEPA allows 70 per line; two lines). */
export const MAX_HOLDER_NAME_LENGTH = 140;

/** Checks every field and reports each problem beside its field. */
export function parsePayout(input: PayoutInput): Result<PayoutInput> {
  const fields: Record<string, string> = {};
  const holderName = input.holderName.normalize("NFC").trim().replace(/ +/g, " ");
  const nameLength = [...holderName].length;
  // A control or bidi override would make the name on the email and the
  // page read differently from the one the bank gets.
  if (nameLength === 0 || nameLength > MAX_HOLDER_NAME_LENGTH || hasInvisibleCharacters(holderName)) {
    fields.holderName = "HOLDER_NAME_INVALID";
  }

  const country = input.country.trim().toUpperCase();
  if (country === "") fields.country = "COUNTRY_REQUIRED";
  else if (!isCountryCode(country)) fields.country = "COUNTRY_INVALID";

  const iban = parseIban(input.iban);
  if (!iban.ok) fields.iban = "IBAN_INVALID";
  // Only a mismatch between two valid values: a bad country is the country's error.
  else if (!fields.country && iban.country !== country) fields.iban = "IBAN_COUNTRY_MISMATCH";

  if (!iban.ok || Object.keys(fields).length > 0) return failure("VALIDATION_FAILED", { fields });
  return success({ holderName, iban: iban.iban, country });
}

export async function findPayout(db: Db, userId: string): Promise<MaskedPayout | null> {
  const row = await db.payoutDetails.findUnique({ where: { userId } });
  return row ? masked(row) : null;
}

/**
 * Saves the account's payout details and queues the notice in the same
 * transaction (no change without its email), then makes a first delivery
 * attempt; the outbox retries a failed one.
 */
export async function savePayout(
  deps: PayoutDeps,
  user: { id: string; email: string; locale: string | null },
  input: PayoutInput,
  /** The request's language, for an account that never chose one. */
  fallbackLocale: Locale,
): Promise<Result<{ payout: MaskedPayout; first: boolean }>> {
  const parsed = parsePayout(input);
  if (!parsed.ok) return parsed;
  const locale = isLocale(user.locale) ? user.locale : fallbackLocale;
  const email = await payoutChangedEmail(deps, { to: user.email, locale, ibanMasked: maskIban(parsed.value.iban) });

  const now = deps.clock.now();
  const { row, first, messageId } = await deps.db.$transaction(async (tx) => {
    const previous = await tx.payoutDetails.findUnique({ where: { userId: user.id }, select: { userId: true } });
    const data = { ...parsed.value, updatedAt: now };
    const row = await tx.payoutDetails.upsert({ where: { userId: user.id }, create: { userId: user.id, ...data }, update: data });
    const messageId = await enqueueEmail(prismaOutboxStore(tx), deps.clock, email);
    return { row, first: previous === null, messageId };
  });

  await dispatchMessage(deliveryDeps(deps), messageId).catch(() => "retrying" as const);
  return success({ payout: masked(row), first });
}

function masked(row: { holderName: string; iban: string; country: string; updatedAt: Date }): MaskedPayout {
  return { holderName: row.holderName, ibanMasked: maskIban(row.iban), country: row.country, updatedAt: row.updatedAt };
}

/** The notice, in the account's language: which account the money now goes to, and what to do if it was not them. */
async function payoutChangedEmail(
  deps: Pick<PayoutDeps, "appBaseUrl">,
  input: { to: string; locale: Locale; ibanMasked: string },
): Promise<QueuedEmail> {
  const { locale } = input;
  const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: "email.payoutChanged" });
  const element = createElement(NoticeEmail, {
    locale,
    preview: t("preview"),
    heading: t("heading"),
    paragraphs: [t("body", { iban: isolate(input.ibanMasked) }), t("notYou")],
    action: { label: t("action"), href: `${deps.appBaseUrl}/${locale}/settings/security` },
  });
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { to: input.to, subject: t("subject"), html, text, locale, template: "payout-changed" };
}
